/**
 * `GET /users/me`: whose token this is, before Caja saves it or trusts it for the day. Also what the
 * health check reads off the same answer: Mercado Pago's clock (`Date`) and the rate-limit headroom
 * (`X-RateLimit-Remaining`, when the gateway sends it). The token goes only into the header; no
 * error, log line or answer carries it.
 */
import { z } from 'zod';
import type { Account } from '../../shared/contract';
import { SITE_IDS, type SiteId } from '../../shared/money';
import { CajaError } from '../../shared/errors';

const MeSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  nickname: z.string().max(120).default(''),
  site_id: z.string(),
  email: z.string().max(200).nullish(),
});

export interface WhoAmI {
  account: Account;
  /** Mercado Pago's clock minus ours, in ms (null without a Date header). */
  skewMs: number | null;
  rateRemaining: number | null;
}

export async function whoAmI(baseUrl: string, token: string, now: () => number = Date.now, timeoutMs = 10_000): Promise<WhoAmI> {
  let response: Response;
  const sentAt = now();
  try {
    response = await fetch(new URL('/users/me', baseUrl), {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new CajaError('NETWORK', 'Mercado Pago could not be reached to check the token. Check the internet connection and try again.');
  }
  if (response.status === 401 || response.status === 403) {
    throw new CajaError('AUTH', 'Mercado Pago did not accept this access token. Copy it again from Your integrations → Credentials.');
  }
  if (!response.ok) throw new CajaError('UNEXPECTED_RESPONSE', `Mercado Pago answered ${response.status} when asked whose token this is. Try again.`);
  const parsed = MeSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success || !(SITE_IDS as readonly string[]).includes(parsed.data.site_id)) {
    throw new CajaError('UNEXPECTED_RESPONSE', 'Mercado Pago answered with an account Caja does not understand (or from a country Caja does not support).');
  }
  const me = parsed.data;
  const date = Date.parse(response.headers.get('date') ?? '');
  // The Date header has 1 s resolution and the answer took a while: compare with the middle of the trip.
  const skewMs = Number.isNaN(date) ? null : date - (sentAt + now()) / 2;
  const remaining = Number(response.headers.get('x-ratelimit-remaining') ?? NaN);
  return {
    account: { id: me.id, nickname: me.nickname, site: me.site_id as SiteId, email: me.email ?? null },
    skewMs,
    rateRemaining: Number.isFinite(remaining) ? remaining : null,
  };
}
