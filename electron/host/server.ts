/**
 * The browser host: the same app as Electron, with Chromium (or any browser) in place of the
 * BrowserWindow and a WebSocket in place of ipcMain. It serves the built renderer on 127.0.0.1 and
 * answers the contract over `/caja`, through the same `dispatch` as Electron's handlers.
 *
 * Only the page this host served may drive it: the socket must present the per-run secret (given to
 * the page in the URL fragment, which browsers never send to servers or in Referer) and come from
 * this exact origin. Any other page on the machine — even one on another loopback port — is refused.
 *
 * The host must survive whatever a local page or process throws at it (a fixed port is easy to find):
 * every handler is guarded, one socket's failure closes that socket only, and every resource a
 * caller can make it hold has a ceiling (`HOST_LIMITS`) answered with a clear error or a close.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { MAX_IMPORT_BYTES } from '../../shared/contract';
import { dispatch } from '../dispatch';
import type { Logger } from '../checkout/engine-api';
import type { Services } from '../services';
import { staticFiles } from './static-files';

/** Every ceiling the host enforces; docs/architecture.md (Security) says what each one defends. */
export const HOST_LIMITS = {
  /**
   * One frame: the largest import even if JSON escaping doubled it (a CSV quoted throughout), and no
   * more. A frame under this but over the import limit is answered INVALID_INPUT by the contract.
   */
  maxFrameBytes: 2 * MAX_IMPORT_BYTES + 1024 * 1024,
  /** Calls one socket may have running at once; the rest are answered RATE_LIMITED at once. */
  maxInFlightPerSocket: 64,
  /** Answers queued for a socket that does not read them; past this the socket is closed. */
  maxUnsentBytes: 64 * 1024 * 1024,
  /** Open sockets: a till needs one per tab. */
  maxSockets: 16,
  /** TCP connections of any kind (static files, handshakes, sockets). */
  maxConnections: 64,
  /** One-time launch links waiting to be opened. */
  maxLaunchTokens: 8,
} as const;

export const HOST_SOCKET_PATH = '/caja';

const CallSchema = z.object({ id: z.number().int().nonnegative(), channel: z.string().max(64), input: z.unknown().optional() }).strict();

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface Host {
  port: number;
  origin: string;
  /** The URL carrying the secret in its fragment, for a browser this process drives itself (tests). */
  url: string;
  /**
   * A link that works once: opening it redirects to `url`. This is what goes on another process's
   * command line or on screen, where anyone on the machine can read it; used, it is worthless.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

export interface HostOptions {
  services: Services;
  rendererDir: string;
  port?: number;
  log: Logger;
}

/** Resolves a request path inside `root`, or null when it would escape it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const full = resolve(root, rel);
  const base = resolve(root);
  if (full !== base && !full.startsWith(base + sep)) return null;
  return full;
}

export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${ws}${HOST_SOCKET_PATH}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function secretMatches(expected: Buffer, given: string | null): boolean {
  if (!given) return false;
  const buf = Buffer.from(given);
  return buf.length === expected.length && timingSafeEqual(buf, expected);
}

function send(ws: WebSocket, frame: string): void {
  if (ws.readyState !== ws.OPEN) return;
  // A page that never reads its answers must not make the host hold them for it.
  if (ws.bufferedAmount + frame.length > HOST_LIMITS.maxUnsentBytes) {
    ws.close(1008, 'Too many unread answers');
    return;
  }
  ws.send(frame);
}

const errorFrame = (id: number | null, code: string, message: string) =>
  JSON.stringify({ id, result: { ok: false, error: { code, message } } });

/** Ends a raw socket with a short HTTP answer; a socket that already failed is simply destroyed. */
function refuseUpgrade(socket: Duplex, status: string, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

export async function startHost(options: HostOptions): Promise<Host> {
  const secret = randomBytes(24).toString('base64url');
  const secretBuf = Buffer.from(secret);
  const root = options.rendererDir;
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`No built renderer in ${root}: run "npm run build" first.`);
  }
  const files = staticFiles(root);
  let origin = '';
  let port = 0;
  /** The only Host headers we answer: anything else is DNS rebinding or a misdirected request. */
  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const launchTokens = new Set<string>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!hostAllowed(req.headers.host)) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end(`Caja answers only at ${origin}.`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      const launch = /^\/launch\/([\w-]{1,64})$/.exec(req.url ?? '');
      if (launch) {
        const token = launch[1]!;
        if (!launchTokens.delete(token)) {
          res.writeHead(410, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This link was already used. Ask Caja for a new one (press Enter where it runs).');
          return;
        }
        res.writeHead(303, { Location: `/#secret=${secret}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
        return;
      }
      const file = resolveStatic(root, req.url ?? '/');
      if (!file) {
        res.writeHead(400).end();
        return;
      }
      const own = files.read(file);
      const target = own ? file : join(root, 'index.html');
      const body = own ?? files.read(target);
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      // Vite names every file under assets/ by its content hash: one may be kept (and V8 keeps its
      // compiled code beside it, so a reload does not compile the app again). The page itself never is.
      const hashed = target !== join(root, 'index.html') && target.startsWith(join(root, 'assets') + sep);
      res.writeHead(200, {
        'Content-Type': MIME[extname(target)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy(origin),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-store',
        'Content-Length': body.length,
      });
      if (req.method === 'HEAD') res.end();
      else res.end(body);
    } catch (error) {
      options.log.error('static request failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });
  server.maxConnections = HOST_LIMITS.maxConnections;
  // A malformed request is answered 400 by Node; a reset connection must not be an unhandled error.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: HOST_LIMITS.maxFrameBytes });

  // A page hammering the port must not fill the disk with log lines: one line per 10 s, with a count.
  let refusedUnlogged = 0;
  let lastRefusalLog = 0;
  const noteRefusal = (message: string, data: Record<string, unknown>) => {
    refusedUnlogged += 1;
    if (Date.now() - lastRefusalLog < 10_000) return;
    options.log.warn(message, { ...data, refusedSinceLastLine: refusedUnlogged });
    refusedUnlogged = 0;
    lastRefusalLog = Date.now();
  };
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      // Parsed by hand rather than with new URL(): nothing a caller sends may throw here.
      const raw = req.url ?? '';
      const queryAt = raw.indexOf('?');
      const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
      const given = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1)).get('secret');
      const allowed =
        hostAllowed(req.headers.host) && path === HOST_SOCKET_PATH && req.headers.origin === origin && secretMatches(secretBuf, given);
      if (!allowed) {
        noteRefusal('refused a socket', { origin: String(req.headers.origin ?? '').slice(0, 100) || null, path: path.slice(0, 100) });
        refuseUpgrade(socket, '403 Forbidden', 'Refused.');
        return;
      }
      if (sockets.size >= HOST_LIMITS.maxSockets) {
        noteRefusal('refused a socket over the limit', { open: sockets.size });
        refuseUpgrade(socket, '503 Service Unavailable', `Caja accepts at most ${HOST_LIMITS.maxSockets} connections; close other Caja tabs.`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
    } catch (error) {
      options.log.error('socket upgrade failed', { error: String(error) });
      socket.destroy();
    }
  });

  const unsubscribe = options.services.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    sockets.forEach((ws) => send(ws, frame));
  });

  function parseCall(data: RawData, isBinary: boolean): z.infer<typeof CallSchema> | null {
    if (isBinary) return null;
    try {
      return CallSchema.parse(JSON.parse(String(data)));
    } catch {
      return null;
    }
  }

  wss.on('connection', (ws) => {
    sockets.add(ws);
    let inFlight = 0;
    ws.on('close', () => sockets.delete(ws));
    // Invalid UTF-8, an oversized frame, a reset: ws closes this socket; the listener keeps the
    // error from becoming the whole process's uncaught exception.
    ws.on('error', (error) => {
      options.log.warn('closed a failing socket', { error: error.message.slice(0, 200) });
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      try {
        const call = parseCall(data, isBinary);
        if (!call) {
          send(ws, errorFrame(null, 'INVALID_INPUT', 'Malformed call.'));
          return;
        }
        if (inFlight >= HOST_LIMITS.maxInFlightPerSocket) {
          send(ws, errorFrame(call.id, 'RATE_LIMITED', `Too many calls at once (more than ${HOST_LIMITS.maxInFlightPerSocket}); wait for answers and try again.`));
          return;
        }
        inFlight += 1;
        dispatch(options.services.handlers, call.channel, call.input, options.log)
          .then((result) => send(ws, JSON.stringify({ id: call.id, result })))
          .catch((error: unknown) => options.log.error('socket call failed', { error: String(error) }))
          .finally(() => (inFlight -= 1));
      } catch (error) {
        options.log.error('socket message failed', { error: String(error) });
        ws.terminate();
      }
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  server.on('error', (error) => options.log.error('host server error', { error: String(error) }));

  return {
    port,
    origin,
    url: `${origin}/#secret=${secret}`,
    launchUrl() {
      if (launchTokens.size >= HOST_LIMITS.maxLaunchTokens) launchTokens.delete(launchTokens.values().next().value!);
      const token = randomBytes(18).toString('base64url');
      launchTokens.add(token);
      return `${origin}/launch/${token}`;
    },
    async close() {
      unsubscribe();
      sockets.forEach((ws) => ws.terminate());
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
