/**
 * The outbox: every journal event of this till pushed once to the shop's PostgreSQL (being written).
 */
import type { OutboxStatus, ShopContext, ShopLinkDeps, ShopPart } from './shop-link';

export interface Outbox extends ShopPart {
  status(): OutboxStatus;
}

export function startOutbox(_ctx: ShopContext, _deps: ShopLinkDeps): Outbox {
  return { status: () => ({ pending: 0, lastSyncAt: null, problem: null }), stop: async () => undefined };
}
