/**
 * Mercado Pago's webhook signature, checked the documented way (shared/point-api.md §3):
 *
 *   x-signature: ts=<unix seconds>,v1=<hex HMAC-SHA256(secret, "id:<data.id>;request-id:<x-request-id>;ts:<ts>;")>
 *
 * `<data.id>` is the query string's `data.id`, in lowercase (Mercado Pago: an alphanumeric id goes
 * into the manifest lowercased; lowercasing a numeric id changes nothing), exactly as the simulator
 * signs it (electron/simulator/webhooks.ts). The signature covers neither the body nor the topic: the
 * body is a hint, and the tills re-read the charge anyway.
 *
 * A valid signature older than the freshness window is refused: it is what a replay of a captured
 * request looks like (Mercado Pago signs every retry afresh, so its own retries stay fresh).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEFAULT_FRESHNESS_S = 300;

export type SignatureProblem = 'no-secret' | 'missing' | 'malformed' | 'no-request-id' | 'no-data-id' | 'stale' | 'mismatch';

export interface SignedRequest {
  /** The `x-signature` header as received (undefined when absent). */
  signature: string | undefined;
  /** The `x-request-id` header. */
  requestId: string | undefined;
  /** The query string's `data.id`, as received. */
  dataId: string | null;
}

export type Verification = { ok: true; ts: number } | { ok: false; problem: SignatureProblem };

/** `ts=…,v1=…` (any order, spaces tolerated) → its parts; null when either is missing or malformed. */
export function parseSignature(header: string): { ts: number; v1: string } | null {
  const parts = new Map<string, string>();
  for (const piece of header.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  const ts = parts.get('ts');
  const v1 = parts.get('v1');
  if (!ts || !/^\d{1,12}$/.test(ts) || !v1 || !/^[0-9a-f]{64}$/i.test(v1)) return null;
  return { ts: Number(ts), v1: v1.toLowerCase() };
}

export function manifestOf(dataId: string, requestId: string, ts: number): string {
  return `id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`;
}

/**
 * Checks one request. `nowS` is the receiver's clock in unix seconds; a `ts` further than
 * `freshnessS` from it either way is stale (a clock far ahead would let a signature live forever).
 */
export function verifySignature(
  secret: string,
  req: SignedRequest,
  nowS: number,
  freshnessS = DEFAULT_FRESHNESS_S,
): Verification {
  if (!secret) return { ok: false, problem: 'no-secret' };
  if (req.signature === undefined || req.signature.trim() === '') return { ok: false, problem: 'missing' };
  const parsed = parseSignature(req.signature);
  if (!parsed) return { ok: false, problem: 'malformed' };
  if (!req.requestId) return { ok: false, problem: 'no-request-id' };
  if (!req.dataId) return { ok: false, problem: 'no-data-id' };
  // Computed before the freshness check too, so a stale and a forged request cost the same.
  const expected = createHmac('sha256', secret)
    .update(manifestOf(req.dataId, req.requestId, parsed.ts))
    .digest();
  const given = Buffer.from(parsed.v1, 'hex');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (!matches) return { ok: false, problem: 'mismatch' };
  if (Math.abs(nowS - parsed.ts) > freshnessS) return { ok: false, problem: 'stale' };
  return { ok: true, ts: parsed.ts };
}
