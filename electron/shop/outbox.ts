/**
 * The outbox: every journal event of this till pushed once to the shop's PostgreSQL (being written).
 */
import type { OutboxStatus, ShopContext, ShopLinkDeps, ShopPart } from './shop-link';

export interface Outbox extends ShopPart {
  outboxStatus(): OutboxStatus;
}

export function startOutbox(_ctx: ShopContext, _deps: ShopLinkDeps): Outbox {
  return { outboxStatus: () => ({ pending: 0, lastSyncAt: null, problem: null }), stop: async () => undefined };
}
