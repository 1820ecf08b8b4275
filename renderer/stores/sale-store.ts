/**
 * Sales as main reports them. `sale.changed` events feed `sales`; the charge overlay follows one
 * sale (`activeSaleId`), the unfinished banner lists the ones that have not settled. The renderer
 * never decides an outcome: it shows the state main sends, including the honest "unknown".
 */
import { create } from 'zustand';
import type { AttentionItem, SaleState, SaleView } from '../../shared/contract';
import { ATTENTION_STATES, FINAL_STATES, RETRYABLE_STATES } from '../../shared/sale-states';
import { call, subscribe } from '../bridge';
import { describeError, type ShownError } from '../lib/errors';
import { toContractCart, useCartStore } from './cart-store';

/** The attempt is over and its terminal free (which includes a sale resolved by hand). */
export const isFinal = (state: SaleState) => FINAL_STATES.includes(state);
/** Mercado Pago has shown nothing was charged: the same sale may be charged again. */
export const isRetryable = (state: SaleState) => RETRYABLE_STATES.includes(state);
/** Unknown, or closed by hand without evidence: the banner keeps it in sight. */
const needsAttention = (state: SaleState) => ATTENTION_STATES.includes(state);

interface SaleStoreState {
  sales: Record<string, SaleView>;
  /** The sale the full-screen status follows; null when the cart is showing. */
  activeSaleId: string | null;
  /** A charge request is on its way and main has not named the sale yet. */
  sending: { terminalId: string } | null;
  /** Why the last charge never started (busy terminal, amount out of limits…): shown on the cart. */
  chargeError: ShownError | null;
  /** Ids of sales whose payment has not settled, in the order main listed them. */
  unfinishedIds: string[];
  actionError: ShownError | null;
  busy: 'cancel' | 'recheck' | 'resolve' | null;
  /** What reconciliation found (money without a sale, a sale without its money), until acknowledged. */
  attention: AttentionItem[];

  start(): () => void;
  loadUnfinished(): Promise<void>;
  charge(terminalId: string): Promise<void>;
  cancel(): Promise<void>;
  recheck(saleId: string): Promise<void>;
  /** Closes a sale no evidence settles; resolves true when main accepted it. */
  resolve(saleId: string, note: string): Promise<boolean>;
  acknowledge(id: string): Promise<void>;
  open(saleId: string): void;
  /** Leaves the status screen (the cart shows again; an approved sale has already emptied it). */
  close(): void;
  dismissChargeError(): void;
}

/** Last writer wins unless it is older: events and call answers share one ordered socket, but not in Electron. */
function newer(current: SaleView | undefined, incoming: SaleView): boolean {
  return !current || incoming.updatedAt >= current.updatedAt;
}

export const useSaleStore = create<SaleStoreState>()((set, get) => {
  const upsert = (sale: SaleView) => {
    const s = get();
    if (!newer(s.sales[sale.id], sale)) return;
    const done = isFinal(sale.state) && !needsAttention(sale.state);
    let unfinishedIds = s.unfinishedIds;
    if (done && unfinishedIds.includes(sale.id)) unfinishedIds = unfinishedIds.filter((id) => id !== sale.id);
    // An unknown outcome is exactly what the banner is for, even if it began on this screen.
    if (needsAttention(sale.state) && !unfinishedIds.includes(sale.id)) unfinishedIds = [...unfinishedIds, sale.id];
    set({ sales: { ...s.sales, [sale.id]: sale }, unfinishedIds });

    const cart = useCartStore.getState();
    if (sale.id === cart.saleId && sale.state === 'approved') cart.reset();
  };

  return {
    sales: {},
    activeSaleId: null,
    sending: null,
    chargeError: null,
    unfinishedIds: [],
    actionError: null,
    busy: null,
    attention: [],

    start() {
      const offSale = subscribe('sale.changed', upsert);
      const offAttention = subscribe('attention.changed', (attention) => set({ attention }));
      const off = () => {
        offSale();
        offAttention();
      };
      void get().loadUnfinished();
      call('attention.list').then(
        (attention) => set({ attention }),
        () => undefined, // the next attention.changed fills it
      );
      // The cart may belong to a sale that settled while this page was away (reload, restart).
      const { saleId } = useCartStore.getState();
      if (saleId) {
        call('checkout.get', { saleId }).then(upsert, () => useCartStore.getState().attachSale(''));
      }
      return off;
    },

    async loadUnfinished() {
      try {
        const list = await call('checkout.unfinished');
        list.forEach(upsert);
        const open = (state: SaleState) => !isFinal(state) || needsAttention(state);
        const ids = list.filter((s) => open(s.state)).map((s) => s.id);
        set((s) => ({
          unfinishedIds: [...new Set([...ids, ...s.unfinishedIds.filter((id) => open(s.sales[id]?.state ?? 'unknown'))])],
        }));
      } catch {
        // The banner is a safety net; the next event or reload fills it.
      }
    },

    async charge(terminalId) {
      const cart = useCartStore.getState();
      if (get().sending) return;
      const retryOf = cart.saleId && isRetryable(get().sales[cart.saleId]?.state ?? 'failed') ? cart.saleId : undefined;
      set({ sending: { terminalId }, chargeError: null, actionError: null, activeSaleId: retryOf ?? null });
      try {
        const sale = await call('checkout.charge', {
          cart: toContractCart(cart),
          terminalId,
          ...(retryOf ? { saleId: retryOf } : {}),
        });
        useCartStore.getState().attachSale(sale.id);
        upsert(sale);
        set({ activeSaleId: sale.id, sending: null });
      } catch (error) {
        // Nothing was journaled or sent: the cart is untouched and says why.
        set({ sending: null, activeSaleId: null, chargeError: describeError(error) });
      }
    },

    async cancel() {
      const id = get().activeSaleId;
      const sale = id ? get().sales[id] : undefined;
      if (!sale || !sale.cancellable || get().busy) return;
      set({ busy: 'cancel', actionError: null });
      try {
        upsert(await call('checkout.cancel', { saleId: sale.id }));
      } catch (error) {
        set({ actionError: describeError(error) });
      } finally {
        set({ busy: null });
      }
    },

    async recheck(saleId) {
      set({ busy: 'recheck', actionError: null });
      try {
        upsert(await call('checkout.recheck', { saleId }));
      } catch (error) {
        set({ actionError: describeError(error) });
      } finally {
        set({ busy: null });
      }
    },

    async resolve(saleId, note) {
      set({ busy: 'resolve', actionError: null });
      try {
        upsert(await call('checkout.resolve', { saleId, note }));
        return true;
      } catch (error) {
        set({ actionError: describeError(error) });
        return false;
      } finally {
        set({ busy: null });
      }
    },

    async acknowledge(id) {
      try {
        set({ attention: await call('attention.acknowledge', { id }) });
      } catch (error) {
        set({ actionError: describeError(error) });
      }
    },

    open(saleId) {
      set({ activeSaleId: saleId, actionError: null });
      if (!get().sales[saleId]) call('checkout.get', { saleId }).then(upsert, () => undefined);
    },

    close() {
      set({ activeSaleId: null, sending: null, actionError: null });
    },

    dismissChargeError() {
      set({ chargeError: null });
    },
  };
});
