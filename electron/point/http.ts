/**
 * The HTTP layer every Point client shares: token per request, zod-parsed answers, retries only where
 * they are safe, 429 back-off honouring Retry-After, a per-resource read pace, and error mapping to
 * the closed code list. Nothing here logs or rethrows anything that could hold the Authorization header.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import { realClock, type Clock } from '../ground/clock';
import { silentLogger, type Logger } from '../ground/logger';
import { PointError } from './point-error';

// Kept for callers that imported them from here before they moved to the ground floor.
export { realClock, silentLogger };

export interface PointHttpOptions {
  baseUrl: string;
  getToken: () => string | null;
  log?: Logger;
  clock?: Clock;
  /** Per request. Point answers in well under a second; a hung socket must not hold a sale. */
  timeoutMs?: number;
  /** Tries of a read (or of a replay-safe write) before giving up on transient failures. */
  maxAttempts?: number;
  /** Minimum gap between two reads of one resource (Mercado Pago answers 429 under ~1 s). */
  minReadIntervalMs?: number;
  /** First back-off step after a time-out or 5xx; doubles each try. */
  backoffBaseMs?: number;
  /** Longest Retry-After honoured inside one call; longer waits are the caller's business. */
  maxRetryAfterMs?: number;
}

/** What the API said when it said no, in a form independent of the family's error shape. */
export interface ApiFailure {
  status: number;
  apiCode: string | null;
  apiMessage: string | null;
}

/** Per-call refinement of the default status → code mapping. Return null to use the default. */
export type ErrorMapper = (failure: ApiFailure) => PointError | null;

export interface ReadOptions {
  query?: Record<string, string | number | undefined>;
  /** Reads of the same key are paced to minReadIntervalMs. */
  rateKey?: string;
  mapError?: ErrorMapper;
  /** For messages: "the payment intent", "the terminal list"... */
  what: string;
}

export interface WriteOptions {
  /** The caller's key, stored before calling. Sent as X-Idempotency-Key on every try. */
  idempotencyKey: string;
  /**
   * The API replays the first answer for a repeated key, so a write may be retried after a
   * time-out or 5xx. Otherwise a failed write is reported as outcome-unknown and never repeated here.
   */
  replaySafe: boolean;
  headers?: Record<string, string>;
  mapError?: ErrorMapper;
  what: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const ErrorBody = {
  parse(data: unknown): { apiCode: string | null; apiMessage: string | null } {
    if (!data || typeof data !== 'object')
      return { apiCode: null, apiMessage: typeof data === 'string' ? data.slice(0, 200) : null };
    const d = data as Record<string, unknown>;
    // Orders API: {"errors":[{"code","message","details"}]}
    if (Array.isArray(d.errors) && d.errors.length > 0 && d.errors[0] && typeof d.errors[0] === 'object') {
      const first = d.errors[0] as Record<string, unknown>;
      return { apiCode: str(first.code), apiMessage: str(first.message) };
    }
    // Integrations / mobile: {"message","error","status","cause":[{"code","description"}]}
    let apiCode = str(d.error) ?? str(d.code);
    if (Array.isArray(d.cause) && d.cause[0] && typeof d.cause[0] === 'object') {
      const c = d.cause[0] as Record<string, unknown>;
      apiCode = str(c.code) ?? apiCode;
    }
    return { apiCode, apiMessage: str(d.message) };
  },
};

function str(v: unknown): string | null {
  if (typeof v === 'string' && v.length > 0) return v.slice(0, 300);
  if (typeof v === 'number') return String(v);
  return null;
}

function parseRetryAfter(value: unknown, nowMs: number): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n * 1000);
  const date = Date.parse(String(value));
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : null;
}

/** Default mapping: the caller refines 404 and 409, whose meaning depends on the call. */
export function defaultFailure(f: ApiFailure, what: string, retryAfterMs: number | null = null): PointError {
  const info = { status: f.status, apiCode: f.apiCode, retryAfterMs };
  // The renderer words AUTH itself (errors.AUTH: the token lives on the Manager screen's account
  // section); this is those words in English, so an English screen shows one sentence, not two.
  if (f.status === 401) return new PointError('AUTH', 'Mercado Pago refused the access token. Check it on the Manager screen.', info);
  if (f.status === 403) return new PointError('FORBIDDEN', `Mercado Pago does not allow this account to use ${what}.`, info);
  if (f.status === 404) return new PointError('NOT_FOUND', `Mercado Pago could not find ${what}.`, info);
  if (f.status === 409 || f.status === 412 || f.status === 423)
    return new PointError('CONFLICT', `Mercado Pago refused the change to ${what}${f.apiMessage ? `: ${f.apiMessage}` : ''}.`, {
      ...info,
      outcomeUnknown: f.status === 423 || f.apiCode === 'idempotency_key_already_used',
    });
  if (f.status === 429)
    return new PointError('RATE_LIMITED', 'Mercado Pago asked us to slow down. Caja will keep checking.', {
      ...info,
      outcomeUnknown: true,
    });
  if (f.status >= 500)
    return new PointError('NETWORK', 'Mercado Pago is having trouble right now. Caja will keep checking.', {
      ...info,
      outcomeUnknown: true,
    });
  if (f.status === 400 && /amount/i.test(`${f.apiCode ?? ''} ${f.apiMessage ?? ''}`))
    return new PointError('INVALID_AMOUNT', `Mercado Pago refused the amount${f.apiMessage ? `: ${f.apiMessage}` : ''}.`, info);
  return new PointError('INVALID_INPUT', `Mercado Pago refused ${what}${f.apiMessage ? `: ${f.apiMessage}` : ''}.`, info);
}

export class PointHttp {
  private readonly axios: AxiosInstance;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly minReadIntervalMs: number;
  private readonly backoffBaseMs: number;
  private readonly maxRetryAfterMs: number;
  /** Earliest time the next read of each resource may leave. */
  private readonly nextReadAt = new Map<string, number>();

  constructor(private readonly options: PointHttpOptions) {
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.minReadIntervalMs = options.minReadIntervalMs ?? 1000;
    this.backoffBaseMs = options.backoffBaseMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.axios = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 10_000,
      // Every status is ours to interpret: axios' own rejection carries the request config (and token).
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      maxRedirects: 0,
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, Math.max(0, ms)));
  }

  async read<S extends z.ZodType>(path: string, schema: S, opts: ReadOptions): Promise<z.output<S>> {
    let attempt = 0;
    for (;;) {
      attempt++;
      if (opts.rateKey) await this.pace(opts.rateKey);
      const outcome = await this.send('GET', path, undefined, {}, opts.query);
      if (outcome.kind === 'ok') return this.parse(schema, outcome.response, opts.what, path);
      const error = outcome.kind === 'network' ? outcome.error : this.mapFailure(outcome.response, opts.what, opts.mapError);
      const transient = outcome.kind === 'network' || error.status === 429 || (error.status !== null && error.status >= 500);
      // 429 does not consume the budget as fast: the server told us exactly when to come back.
      const budget = error.status === 429 ? this.maxAttempts * 2 : this.maxAttempts;
      if (!transient || attempt >= budget) throw error;
      const wait = this.retryDelay(error, attempt);
      if (error.status === 429 && opts.rateKey) this.nextReadAt.set(opts.rateKey, this.clock.now() + wait);
      this.log.warn('point read retry', { path: safePath(path), status: error.status, attempt, waitMs: wait });
      await this.sleep(wait);
    }
  }

  async write<S extends z.ZodType>(
    method: Method,
    path: string,
    body: unknown,
    schema: S,
    opts: WriteOptions,
  ): Promise<z.output<S>> {
    let attempt = 0;
    let uncertain = false;
    const headers = { ...opts.headers, 'X-Idempotency-Key': opts.idempotencyKey };
    for (;;) {
      attempt++;
      const outcome = await this.send(method, path, body, headers);
      if (outcome.kind === 'ok') {
        this.log.info('point write', { method, path: safePath(path), status: outcome.response.status, attempt });
        return this.parse(schema, outcome.response, opts.what, path);
      }
      let error = outcome.kind === 'network' ? outcome.error : this.mapFailure(outcome.response, opts.what, opts.mapError);
      this.log.warn('point write failed', { method, path: safePath(path), status: error.status, code: error.code, attempt });
      // After a try whose outcome is unknown, a later refusal (a 409 "busy", say) may be refusing a
      // second copy of a write that already took effect: it proves nothing, so it stays unknown.
      if (uncertain && !error.outcomeUnknown) error = error.withOutcomeUnknown();
      if (error.outcomeUnknown) uncertain = true;
      if (!error.outcomeUnknown || !opts.replaySafe || attempt >= this.maxAttempts) throw error;
      await this.sleep(this.retryDelay(error, attempt));
    }
  }

  private retryDelay(error: PointError, attempt: number): number {
    if (error.retryAfterMs !== null) return Math.min(Math.max(error.retryAfterMs, 100), this.maxRetryAfterMs);
    return Math.min(this.backoffBaseMs * 2 ** (attempt - 1), 5_000);
  }

  private async pace(key: string): Promise<void> {
    const now = this.clock.now();
    const at = this.nextReadAt.get(key) ?? 0;
    this.nextReadAt.set(key, Math.max(at, now) + this.minReadIntervalMs);
    if (at > now) await this.sleep(at - now);
    if (this.nextReadAt.size > 5000) this.nextReadAt.clear();
  }

  private async send(
    method: Method,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    query?: Record<string, string | number | undefined>,
  ): Promise<{ kind: 'ok' | 'failed'; response: AxiosResponse } | { kind: 'network'; error: PointError }> {
    const token = this.options.getToken();
    if (!token) throw new PointError('AUTH', 'No Mercado Pago access token is set; a manager enters it on the Manager screen.');
    const params = query ? Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) : undefined;
    let response: AxiosResponse;
    try {
      response = await this.axios.request({
        method,
        url: path,
        params,
        data: body === undefined ? undefined : body,
        headers: { ...headers, Authorization: `Bearer ${token}` },
      });
    } catch (e) {
      // Deliberately not kept as `cause`: the axios error holds the request config with the token.
      const timedOut = axios.isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT');
      return {
        kind: 'network',
        error: new PointError(
          'NETWORK',
          timedOut
            ? 'Mercado Pago did not answer in time. Caja will keep checking.'
            : "Can't reach Mercado Pago. Check the internet connection.",
          { status: null, outcomeUnknown: true },
        ),
      };
    }
    return { kind: response.status >= 200 && response.status < 300 ? 'ok' : 'failed', response };
  }

  private mapFailure(response: AxiosResponse, what: string, mapper?: ErrorMapper): PointError {
    const { apiCode, apiMessage } = ErrorBody.parse(response.data);
    const failure: ApiFailure = { status: response.status, apiCode, apiMessage };
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
    const mapped = mapper?.(failure) ?? null;
    if (mapped) return mapped;
    return defaultFailure(failure, what, retryAfterMs);
  }

  private parse<S extends z.ZodType>(schema: S, response: AxiosResponse, what: string, path: string): z.output<S> {
    const data = response.status === 204 || response.data === '' ? undefined : response.data;
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    this.log.warn('point answer outside the expected shape', {
      path: safePath(path),
      status: response.status,
      issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
    throw new PointError('UNEXPECTED_RESPONSE', `Mercado Pago answered about ${what} in a way Caja does not understand.`, {
      status: response.status,
    });
  }
}

/** Ids in paths are not secrets, but keep the log lines short and free of query strings. */
function safePath(path: string): string {
  return path.split('?')[0]!.slice(0, 160);
}

export function mapper(fn: (f: ApiFailure) => [ErrorCode, string, { outcomeUnknown?: boolean }?] | null): ErrorMapper {
  return (f) => {
    const r = fn(f);
    return r ? new PointError(r[0], r[1], { status: f.status, apiCode: f.apiCode, ...r[2] }) : null;
  };
}

export const enc = encodeURIComponent;
