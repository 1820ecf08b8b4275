/**
 * This till's link to the shop server, as main reports it (shop.status / shop.changed). Main pushes
 * a change when the link connects, fails or pushes a batch; the pending count also grows with sales
 * made while offline, which nobody pushes, so the store asks again now and then.
 */
import { create } from 'zustand';
import type { ShopStatus } from '../../shared/contract';
import { call, subscribe } from '../bridge';

interface ShopState {
  status: ShopStatus | null;
  refresh(): Promise<void>;
  set(status: ShopStatus): void;
  start(pollMs?: number): () => void;
}

export const useShopStore = create<ShopState>()((set, get) => ({
  status: null,
  async refresh() {
    try {
      set({ status: await call('shop.status') });
    } catch {
      // A hiccup keeps the last status: the status bar must not flicker.
    }
  },
  set: (status) => set({ status }),
  start(pollMs = 5000) {
    const off = subscribe('shop.changed', (status) => set({ status }));
    void get().refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && get().status?.state !== 'off') void get().refresh();
    }, pollMs);
    return () => {
      off();
      clearInterval(timer);
    };
  },
}));
