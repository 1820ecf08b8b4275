/**
 * Which live attempts a webhook's hint is about. The hint names a resource Mercado Pago says changed
 * (an order, an intent, a payment): the attempt whose charge or payment it is gets looked at now.
 * Nothing here settles anything: the look reads the charge and the payment, as a poll would.
 */
import type { TerminalFamily } from '../../shared/contract';
import type { Journal } from './journal';

export interface ChargeHint {
  /** The notification's topic: `order`, `point_integration_wh`, `payment` (others are ignored). */
  topic: string;
  /** Its `data.id`: an order id, an intent id, or a payment id. */
  resourceId: string;
}

const FAMILY_OF_TOPIC: Record<string, TerminalFamily> = { order: 'orders', point_integration_wh: 'intents', payment: 'mobile' };

/** Still watched: unsettled, or closed by a person without evidence (evidence still settles it). */
const LIVE = "(settled = 0 OR state = 'resolved')";

export function attemptsForHint(journal: Journal, hint: ChargeHint): string[] {
  const family = FAMILY_OF_TOPIC[hint.topic];
  if (!family || !hint.resourceId) return [];
  const id = hint.resourceId;
  // Case-blind: Mercado Pago lowercases ids in some places (the signature's manifest) and not others.
  const direct = journal.all<{ id: string }>(
    `SELECT id FROM attempts WHERE ${LIVE} AND (lower(charge_id) = lower(?) OR payment_id = ? OR order_payment_id = ?)`,
    id,
    id,
    id,
  );
  if (direct.length > 0) return direct.map((r) => r.id);
  // Not one we know by id. It may still be ours: a charge whose create answer has not been
  // journaled (or was lost), or — on a phone, whose notifications name only the payment — a payment
  // we have not read yet. Those few attempts of the same family look now; anything else is another
  // till's or an old sale's, and is ignored.
  const unnamed = journal.all<{ id: string }>(
    `SELECT id FROM attempts WHERE ${LIVE} AND family = ? AND (charge_id IS NULL OR (family = 'mobile' AND payment_id IS NULL))`,
    family,
  );
  return unnamed.map((r) => r.id);
}
