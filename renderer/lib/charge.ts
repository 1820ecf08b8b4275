import type { SaleView } from '../../shared/contract';
import { cartTotals, useCartStore } from '../stores/cart-store';
import { isFinal, useSaleStore } from '../stores/sale-store';
import { unavailable, useTerminalsStore } from '../stores/terminals-store';
import { useAppStore } from '../stores/app-store';

export type ChargeBlocker = 'empty' | 'zero' | 'no_terminal' | 'terminal_unavailable' | 'busy' | 'unsettled';

/**
 * The sale this cart was already sent as, while Mercado Pago has not settled it. Charging the same
 * cart again as a new sale is exactly how a lost answer turns into a double charge, so it waits.
 */
export function unsettledCartSale(): SaleView | null {
  const { saleId } = useCartStore.getState();
  const sale = saleId ? useSaleStore.getState().sales[saleId] : undefined;
  return sale && !isFinal(sale.state) ? sale : null;
}

/** Why Charge cannot start now, or null. The same rule for the button and for F9. */
export function chargeBlocker(): ChargeBlocker | null {
  const cart = useCartStore.getState();
  if (cart.lines.length === 0) return 'empty';
  if (cartTotals(cart.lines, cart.cartDiscount).total <= 0) return 'zero';
  const sale = useSaleStore.getState();
  if (sale.sending || sale.activeSaleId) return 'busy';
  if (unsettledCartSale()) return 'unsettled';
  const { selectedId, terminals } = useTerminalsStore.getState();
  const terminal = terminals.find((t) => t.id === selectedId);
  if (!terminal) return 'no_terminal';
  if (unavailable(terminal, useAppStore.getState().settings?.registerId ?? null)) return 'terminal_unavailable';
  return null;
}

export function startCharge(terminalId?: string): boolean {
  const id = terminalId ?? useTerminalsStore.getState().selectedId;
  if (!id || (terminalId === undefined && chargeBlocker())) return false;
  void useSaleStore.getState().charge(id);
  return true;
}

/** F2 / "New sale": leave a settled status screen and put the cursor in the search box. */
export function newSale(): boolean {
  const { activeSaleId, sales, sending, close } = useSaleStore.getState();
  const sale = activeSaleId ? sales[activeSaleId] : undefined;
  // A charge still in flight keeps its screen: walking away from it is what the banner is for.
  if (sending || (sale && !isFinal(sale.state) && sale.state !== 'unknown')) return false;
  if (activeSaleId) close();
  useAppStore.getState().focusSearch();
  return true;
}
