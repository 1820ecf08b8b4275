/**
 * The cart being rung up. It lives in localStorage so a reload, a crash or a restart never loses it;
 * every change pushes the previous state on an undo stack. Totals are integer sums of minor units,
 * the same arithmetic main uses when it charges.
 */
import { create } from 'zustand';
import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware';
import type { Cart, CartLine, Product } from '../../shared/contract';

export interface CartItem extends CartLine {
  /** Stable identity of a row for React and for edits; stripped before the cart leaves. */
  key: string;
}

interface Snapshot {
  lines: CartItem[];
  cartDiscount: number;
}

interface CartState extends Snapshot {
  /** The sale this cart was already charged under (a failed attempt): charging again retries it. */
  saleId: string | null;
  past: Snapshot[];
  addProduct(product: Product): void;
  addFree(name: string, amount: number): void;
  changeQuantity(key: string, delta: number): void;
  setQuantity(key: string, quantity: number): void;
  setLineDiscount(key: string, discount: number): void;
  remove(key: string): void;
  setCartDiscount(discount: number): void;
  clear(): void;
  undo(): void;
  attachSale(saleId: string): void;
  /** After an approved sale: a new, empty cart with no history to undo into. */
  reset(): void;
}

const MAX_UNDO = 50;
const MAX_QTY = 9999;

export const lineGross = (l: CartLine) => l.unitPrice * l.quantity;
export const lineNet = (l: CartLine) => lineGross(l) - l.discount;

export interface Totals {
  subtotal: number;
  discounts: number;
  total: number;
  items: number;
}

export function cartTotals(lines: readonly CartLine[], cartDiscount: number): Totals {
  let subtotal = 0;
  let lineDiscounts = 0;
  let items = 0;
  for (const l of lines) {
    subtotal += lineGross(l);
    lineDiscounts += l.discount;
    items += l.quantity;
  }
  return { subtotal, discounts: lineDiscounts + cartDiscount, total: subtotal - lineDiscounts - cartDiscount, items };
}

/** What `checkout.charge` accepts: the contract's lines, nothing of the UI's own. */
export function toContractCart(state: Snapshot): Cart {
  return {
    lines: state.lines.map(({ key: _key, ...line }) => line),
    cartDiscount: state.cartDiscount,
  };
}

/**
 * localStorage, encoded and written after the frame that shows the change instead of inside the
 * click: a 200-line cart with its undo steps is a few hundred KB of JSON, most of a frame to encode
 * and store. The state is immutable, so encoding it later gives the same text. Writes are coalesced
 * and flushed when the page is hidden or unloaded (a reload, a restart), so only a crash of the page
 * in the very frame of a click could lose that click.
 */
function afterPaintStorage<S>(): PersistStorage<S> {
  const pending = new Map<string, StorageValue<S>>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    for (const [name, value] of pending) localStorage.setItem(name, JSON.stringify(value));
    pending.clear();
  };
  addEventListener('pagehide', flush);
  addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  return {
    getItem(name) {
      const waiting = pending.get(name);
      if (waiting) return waiting;
      const raw = localStorage.getItem(name);
      return raw === null ? null : (JSON.parse(raw) as StorageValue<S>);
    },
    setItem(name, value) {
      pending.set(name, value);
      if (scheduled) return;
      scheduled = true;
      // The next frame's callback runs before its paint; the timeout lands after it.
      requestAnimationFrame(() => setTimeout(flush, 0));
    },
    removeItem(name) {
      pending.delete(name);
      localStorage.removeItem(name);
    },
  };
}

const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** A discount may never make a line (or the sale) negative: clamp after quantities drop. */
function settle(lines: CartItem[], cartDiscount: number): Snapshot {
  const fixed = lines.map((l) => (l.discount > lineGross(l) ? { ...l, discount: lineGross(l) } : l));
  const net = fixed.reduce((sum, l) => sum + lineNet(l), 0);
  return { lines: fixed, cartDiscount: Math.min(cartDiscount, net) };
}

export const useCartStore = create<CartState>()(
  persist(
    (set, get) => {
      /** Applies a change and records the state before it for undo; no-ops leave no undo step. */
      const change = (next: (s: Snapshot) => Snapshot) => {
        const s = get();
        const before: Snapshot = { lines: s.lines, cartDiscount: s.cartDiscount };
        const after = next(before);
        if (after.lines === before.lines && after.cartDiscount === before.cartDiscount) return;
        set({ ...settle(after.lines, after.cartDiscount), past: [...s.past, before].slice(-MAX_UNDO) });
      };
      const mapLine = (key: string, fn: (l: CartItem) => CartItem) =>
        change((s) => ({ ...s, lines: s.lines.map((l) => (l.key === key ? fn(l) : l)) }));

      return {
        lines: [],
        cartDiscount: 0,
        saleId: null,
        past: [],

        addProduct(p) {
          change((s) => {
            // Scanning the same product again is one more of it, not a second row.
            const same = s.lines.find((l) => l.productId === p.id && l.unitPrice === p.price);
            if (same) {
              return {
                ...s,
                lines: s.lines.map((l) => (l === same ? { ...l, quantity: Math.min(MAX_QTY, l.quantity + 1) } : l)),
              };
            }
            const line: CartItem = {
              key: newKey(),
              productId: p.id,
              sku: p.sku,
              name: p.name,
              unitPrice: p.price,
              quantity: 1,
              discount: 0,
            };
            return { ...s, lines: [...s.lines, line] };
          });
        },

        addFree(name, amount) {
          const line: CartItem = {
            key: newKey(),
            productId: null,
            sku: null,
            name: name.trim().slice(0, 80),
            unitPrice: amount,
            quantity: 1,
            discount: 0,
          };
          change((s) => ({ ...s, lines: [...s.lines, line] }));
        },

        changeQuantity(key, delta) {
          const line = get().lines.find((l) => l.key === key);
          if (!line) return;
          const quantity = line.quantity + delta;
          if (quantity < 1) get().remove(key);
          else mapLine(key, (l) => ({ ...l, quantity: Math.min(MAX_QTY, quantity) }));
        },

        setQuantity(key, quantity) {
          if (!Number.isInteger(quantity) || quantity < 1) return;
          mapLine(key, (l) => (l.quantity === quantity ? l : { ...l, quantity: Math.min(MAX_QTY, quantity) }));
        },

        setLineDiscount(key, discount) {
          mapLine(key, (l) => (l.discount === discount ? l : { ...l, discount: Math.max(0, Math.min(discount, lineGross(l))) }));
        },

        remove(key) {
          change((s) => ({ ...s, lines: s.lines.filter((l) => l.key !== key) }));
        },

        setCartDiscount(discount) {
          change((s) => ({ ...s, cartDiscount: Math.max(0, discount) }));
        },

        clear() {
          change(() => ({ lines: [], cartDiscount: 0 }));
        },

        undo() {
          const { past } = get();
          const previous = past[past.length - 1];
          if (previous) set({ ...previous, past: past.slice(0, -1) });
        },

        attachSale(saleId) {
          set({ saleId });
        },

        reset() {
          set({ lines: [], cartDiscount: 0, saleId: null, past: [] });
        },
      };
    },
    {
      name: 'caja.cart',
      version: 1,
      storage: afterPaintStorage(),
      partialize: (s) => ({ lines: s.lines, cartDiscount: s.cartDiscount, saleId: s.saleId, past: s.past.slice(-10) }),
    },
  ),
);
