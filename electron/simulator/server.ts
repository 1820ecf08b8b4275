/**
 * HTTP plumbing: body reading, the request log, faults, authentication, routing and rendering
 * errors in each family's shape. Everything a handler does is synchronous, so no two requests ever
 * interleave inside one (that is what keeps "one charge per terminal" true under concurrency).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SIM_PREFIX } from './control-api';
import { handleControl, type ControlDeps } from './control';
import { accountForToken } from './core';
import { ApiError, renderError, type ErrorFamily } from './errors';
import type { Recorder, RecordedEntry } from './recorder';
import { familyOfPath, type Reply, type Router } from './router';
import { header } from './validate';

const MAX_BODY_BYTES = 1 << 20;

export interface ServerDeps extends ControlDeps {
  router: Router;
  recorder: Recorder;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(value: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m ? m[1]! : null;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`); nothing else. */
export function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** `?access_token=`, trimmed: the seed's own example puts a space after the `=`. */
function queryToken(query: URLSearchParams): string | null {
  const t = query.get('access_token')?.trim();
  return t ? t : null;
}

/** The request log never holds a token, not even one sent in the query string. */
function loggedQuery(query: URLSearchParams): Record<string, string> {
  const out = Object.fromEntries(query);
  if ('access_token' in out) out.access_token = '[redacted]';
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorAnswer(family: ErrorFamily, error: ApiError): Answer {
  return { status: error.status, body: renderError(family, error), headers: error.headers };
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string | number> = { 'x-request-id': randomUUID(), ...(answer.headers ?? {}) };
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(answer.status, headers);
  res.end(text);
}

export function createSimServer(deps: ServerDeps): Server {
  const { core, router, recorder } = deps;

  function dispatch(method: string, path: string, query: URLSearchParams, req: IncomingMessage, raw: string, parsed: { ok: boolean; value: unknown }): Answer {
    const match = router.match(method, path);
    if (match.kind === 'not_found') return errorAnswer(match.family, new ApiError(404, 'not_found', `Route not found: ${method} ${path}`));
    if (match.kind === 'wrong_method') {
      const e = new ApiError(405, 'method_not_allowed', `Method ${method} not allowed on ${path}`, [], { Allow: match.allow.join(', ') });
      return errorAnswer(match.family, e);
    }
    const family = match.route.family;
    const account = accountForToken(bearer(req.headers.authorization) ?? (match.route.queryToken ? queryToken(query) : null));
    if (!account) return errorAnswer(family, new ApiError(401, 'unauthorized', 'invalid access token', ['a valid Bearer access token is required']));
    if (!parsed.ok) return errorAnswer(family, new ApiError(400, 'bad_request', 'Malformed JSON body', ['the body is not valid JSON']));
    try {
      const reply: Reply = match.route.handler({
        method,
        path,
        query,
        headers: req.headers,
        params: match.params,
        body: raw.trim() === '' ? undefined : parsed.value,
        account,
        core,
      });
      return reply;
    } catch (error) {
      if (error instanceof ApiError) return errorAnswer(family, error);
      core.log(`simulator: ${method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
      return errorAnswer(family, new ApiError(500, 'internal_error', 'Internal server error'));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return send(res, errorAnswer(familyOfPath(path), new ApiError(413, 'payload_too_large', 'Request body too large')));
      throw error;
    }
    let parsed: { ok: boolean; value: unknown } = { ok: true, value: undefined };
    if (raw.trim() !== '') {
      try {
        parsed = { ok: true, value: JSON.parse(raw) };
      } catch {
        parsed = { ok: false, value: raw };
      }
    }

    if (path === SIM_PREFIX || path.startsWith(`${SIM_PREFIX}/`)) {
      // A web page on another site can make a browser POST a form or text/plain here without any
      // preflight; it cannot send application/json without one (which this server never grants).
      if (method !== 'GET' && method !== 'HEAD' && !isJsonContentType(req.headers['content-type'])) {
        return send(res, {
          status: 415,
          body: { error: `control writes need "Content-Type: application/json" (got ${JSON.stringify(req.headers['content-type'] ?? 'none')}); this refuses cross-site form posts` },
        });
      }
      if (!parsed.ok) return send(res, { status: 400, body: { error: 'Malformed JSON body' } });
      const reply = handleControl(deps, method, path, url.searchParams, parsed.value);
      if (reply.html !== undefined) {
        res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(reply.html);
        return;
      }
      return send(res, { status: reply.status, body: reply.body });
    }

    const account = accountForToken(bearer(req.headers.authorization) ?? queryToken(url.searchParams));
    const entry: RecordedEntry = recorder.record({
      at: new Date(core.clock.now()).toISOString(),
      method,
      path,
      query: loggedQuery(url.searchParams),
      userId: account?.userId ?? null,
      idempotencyKey: header(req.headers, 'x-idempotency-key'),
      status: null,
      body: raw.trim() === '' ? null : parsed.value,
    });

    if (core.faults.takeDrop(method, path)) {
      entry.fault = 'drop';
      core.log(`simulator: ${method} ${path} → dropped (fault)`);
      req.socket.destroy();
      return;
    }
    if (core.faults.latencyMs > 0) await sleep(core.faults.latencyMs);
    const failStatus = core.faults.takeFail(method, path);
    let answer: Answer;
    if (failStatus !== null) {
      entry.fault = 'fail';
      const headers: Record<string, string> = failStatus === 429 ? { 'Retry-After': '1' } : {};
      answer = errorAnswer(familyOfPath(path), new ApiError(failStatus, 'injected_fault', `Injected fault (${failStatus})`, [], headers));
    } else {
      answer = dispatch(method, path, url.searchParams, req, raw, parsed);
    }
    entry.status = answer.status;
    if (failStatus === null && core.faults.takeLose(method, path)) {
      // The side effect happened; the client only sees the connection die.
      entry.fault = 'lose';
      core.log(`simulator: ${method} ${path} → ${answer.status}, answer lost (fault)`);
      req.socket.destroy();
      return;
    }
    core.log(`simulator: ${method} ${path} → ${answer.status}`);
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      core.log(`simulator: request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}
