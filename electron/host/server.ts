/**
 * The browser host: the same app as Electron, with Chromium (or any browser) in place of the
 * BrowserWindow and a WebSocket in place of ipcMain. It serves the built renderer on 127.0.0.1 and
 * answers the contract over `/caja`, through the same `dispatch` as Electron's handlers.
 *
 * Only the page this host served may drive it: the socket must present the per-run secret (given to
 * the page in the URL fragment, which browsers never send to servers or in Referer) and come from
 * this exact origin. Any other page on the machine — even one on another loopback port — is refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { dispatch } from '../dispatch';
import type { Logger } from '../checkout/engine-api';
import type { Services } from '../services';

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
  /** The URL to open: carries the secret in its fragment. */
  url: string;
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

export async function startHost(options: HostOptions): Promise<Host> {
  const secret = randomBytes(24).toString('base64url');
  const secretBuf = Buffer.from(secret);
  const root = options.rendererDir;
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`No built renderer in ${root}: run "npm run build" first.`);
  }
  let origin = '';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolveStatic(root, req.url ?? '/');
    const target = file && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    if (!file) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(target)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(origin),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 25 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const allowed =
      url.pathname === HOST_SOCKET_PATH && req.headers.origin === origin && secretMatches(secretBuf, url.searchParams.get('secret'));
    if (!allowed) {
      options.log.warn('refused a socket', { origin: req.headers.origin ?? null, path: url.pathname });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const unsubscribe = options.services.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    sockets.forEach((ws) => ws.readyState === ws.OPEN && ws.send(frame));
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let call: z.infer<typeof CallSchema>;
      try {
        call = CallSchema.parse(JSON.parse(String(data)));
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'Malformed call.' } } }));
        return;
      }
      const result = await dispatch(options.services.handlers, call.channel, call.input, options.log);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: call.id, result }));
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    url: `${origin}/#secret=${secret}`,
    async close() {
      unsubscribe();
      sockets.forEach((ws) => ws.terminate());
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
