/**
 * Refund claims: the shop-wide lock that makes a double refund from two tills impossible.
 *
 * Every refund a till of a connected shop makes (of its own sale or of another till's) first claims
 * the sale in PostgreSQL. At most one claim per sale is open at a time (a partial unique index, see
 * migrations/history.ts): the second till's INSERT waits for the first transaction and then fails,
 * so it is refused before any request reaches Mercado Pago. The claim stays open while the refund is
 * sent and while its outcome is unknown; the winner then records how it ended. The next refund of the
 * same sale (from any till) starts from what Mercado Pago shows already refunded (RefundDesk folds
 * refunds made elsewhere in), and Mercado Pago itself refuses more than what is left.
 *
 * A till that dies holding a claim must not block the sale for ever: an `open` claim older than
 * `OPEN_STALE` was never sent past its time-out, an `unknown` one older than `UNKNOWN_STALE` is
 * left to Mercado Pago's own rule (nothing beyond the payment's amount can be refunded).
 */
import { randomUUID } from 'node:crypto';
import { CajaError } from '../../shared/errors';
import type { ShopDb } from './shop-db';

export type ClaimEnd = 'approved' | 'failed' | 'unknown' | 'released';

/** A request's time-out is 10 s; two minutes is far past any sending that is still going on. */
const OPEN_STALE = '2 minutes';
const UNKNOWN_STALE = '15 minutes';

export interface RefundClaims {
  /** Claims the sale for this till; CONFLICT (with the holder's till name) when another claim is open. */
  claim(saleId: string, amount: number | undefined): Promise<string>;
  /** Records how the claimed refund ended; `unknown` keeps the sale claimed. */
  settle(claimId: string, end: ClaimEnd, amount?: number): Promise<void>;
  /** This till's claims still waiting on Mercado Pago's answer (settled again when their sale changes). */
  unknownOfThisTill(): Promise<{ id: string; saleId: string }[]>;
}

export function refundClaims(db: ShopDb, shopId: string, tillId: string): RefundClaims {
  return {
    async claim(saleId, amount) {
      const id = randomUUID();
      try {
        await db.tx(async (c) => {
          await c.query(
            `UPDATE refund_claims SET state = 'released', updated_at = now()
              WHERE shop_id = $1 AND sale_id = $2
                AND ((state = 'open' AND updated_at < now() - $3::interval) OR (state = 'unknown' AND updated_at < now() - $4::interval))`,
            [shopId, saleId, OPEN_STALE, UNKNOWN_STALE],
          );
          await c.query(
            `INSERT INTO refund_claims (id, shop_id, sale_id, till_id, amount, state) VALUES ($1, $2, $3, $4, $5, 'open')`,
            [id, shopId, saleId, tillId, amount ?? null],
          );
        });
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        const holder = await db
          .query<{ name: string }>(
            `SELECT t.name FROM refund_claims r JOIN tills t ON t.id = r.till_id
              WHERE r.shop_id = $1 AND r.sale_id = $2 AND r.state IN ('open', 'unknown')`,
            [shopId, saleId],
          )
          .catch(() => []);
        throw new CajaError(
          'CONFLICT',
          `${holder[0]?.name ?? 'Another till'} is refunding this sale right now. Check it again in a moment.`,
        );
      }
      return id;
    },
    async settle(claimId, end, amount) {
      await db.query(
        `UPDATE refund_claims SET state = $2, amount = coalesce($3, amount), updated_at = now() WHERE id = $1 AND state IN ('open', 'unknown')`,
        [claimId, end, amount ?? null],
      );
    },
    async unknownOfThisTill() {
      const rows = await db.query<{ id: string; sale_id: string }>(
        `SELECT id, sale_id FROM refund_claims WHERE shop_id = $1 AND till_id = $2 AND state = 'unknown'`,
        [shopId, tillId],
      );
      return rows.map((r) => ({ id: r.id, saleId: r.sale_id }));
    },
  };
}
