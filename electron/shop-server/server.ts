/**
 * The shop's webhook receiver: the one public URL of a shop, registered in Mercado Pago's panel.
 * A plain `node:http` server next to the shop's PostgreSQL. For each `POST <path>?data.id=…&type=…`
 * it checks the signature (verify.ts), keeps the notification once and `NOTIFY`s the tills
 * (store.ts), and answers in milliseconds (Mercado Pago waits 22 s, then retries).
 *
 * Answers: 200 stored (or already stored: a retry or a replay, acknowledged so it stops, never told
 * to the tills twice); 401 bad, missing, empty or stale signature; 400 no usable ids; 404 other
 * paths; 405 other methods; 413 body too big; 503 PostgreSQL unreachable (Mercado Pago retries).
 * It never reads Mercado Pago and holds no access token: the tills read the charge themselves.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../ground/logger';
import type { ShopDb } from '../shop/shop-db';
import { storeNotification } from './store';
import { DEFAULT_FRESHNESS_S, verifySignature } from './verify';

export const DEFAULT_WEBHOOK_PATH = '/webhooks/mercadopago';
/** Mercado Pago's notification bodies are a few hundred bytes to a few KB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const MAX_ID_CHARS = 200;

export interface ShopServerOptions {
  db: ShopDb;
  shopId: string;
  /** The secret Mercado Pago's panel shows for this application's webhooks. Empty: refused. */
  secret: string;
  port?: number;
  host?: string;
  path?: string;
  log: Logger;
  freshnessS?: number;
  maxBodyBytes?: number;
  /** Unix milliseconds (tests may move it). */
  now?: () => number;
}

export interface ShopServer {
  /** The full webhook URL as bound here (behind a proxy the public one differs). */
  url: string;
  port: number;
  close(): Promise<void>;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) return;
  res
    .writeHead(status, { 'content-type': 'application/json', connection: status === 413 ? 'close' : 'keep-alive' })
    .end(JSON.stringify(body));
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function startShopServer(o: ShopServerOptions): Promise<ShopServer> {
  if (!o.secret) throw new Error("the webhook secret is empty: copy it from Mercado Pago's panel (Your integrations → Webhooks)");
  const path = o.path ?? DEFAULT_WEBHOOK_PATH;
  const limit = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const freshness = o.freshnessS ?? DEFAULT_FRESHNESS_S;
  const now = o.now ?? Date.now;
  const { log } = o;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver.local');
    if (url.pathname === '/healthz' && req.method === 'GET') return reply(res, 200, { ok: true });
    if (url.pathname !== path) return reply(res, 404, { error: 'not_found' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'method_not_allowed' });
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (e) {
      if (e instanceof TooLarge) return reply(res, 413, { error: 'too_large' });
      throw e;
    }
    const dataId = url.searchParams.get('data.id');
    const requestId = headerOf(req, 'x-request-id');
    const verdict = verifySignature(
      o.secret,
      { signature: headerOf(req, 'x-signature'), requestId, dataId },
      Math.floor(now() / 1000),
      freshness,
    );
    if (!verdict.ok) {
      log.warn('webhook refused', { problem: verdict.problem, topic: url.searchParams.get('type'), dataId });
      return reply(res, 401, { error: 'invalid_signature', problem: verdict.problem });
    }
    let body: unknown = null;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      // Unsigned content: kept out; the tills need only the id, and re-read the charge anyway.
    }
    const fromBody = (k: string) =>
      body && typeof body === 'object' && typeof (body as Record<string, unknown>)[k] === 'string'
        ? String((body as Record<string, unknown>)[k])
        : null;
    const topic = url.searchParams.get('type') ?? url.searchParams.get('topic') ?? fromBody('type') ?? 'unknown';
    if (dataId!.length > MAX_ID_CHARS || requestId!.length > MAX_ID_CHARS || topic.length > 64)
      return reply(res, 400, { error: 'bad_ids' });
    const outcome = await storeNotification(o.db, {
      shopId: o.shopId,
      requestId: requestId!,
      topic,
      dataId: dataId!,
      ts: verdict.ts,
      action: fromBody('action'),
      body,
    });
    log.info('webhook accepted', { topic, dataId, outcome });
    reply(res, 200, { ok: true, outcome });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // PostgreSQL away: 503 makes Mercado Pago retry later; the tills poll meanwhile.
      log.error('webhook not stored', { error: e instanceof Error ? e.message : String(e) });
      reply(res, 503, { error: 'unavailable' });
    });
  });
  // Slow or stuck senders must not hold sockets: Mercado Pago sends a small body at once.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const host = o.host && o.host !== '0.0.0.0' && o.host !== '::' ? o.host : '127.0.0.1';
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
