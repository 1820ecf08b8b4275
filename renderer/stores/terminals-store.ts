/**
 * This shop's terminals with live status: main pushes `terminals.changed`, and a gentle poll catches
 * what no event announces (a terminal switched off, a charge started by another register). While a
 * refresh runs the previous list stays on screen, so nothing flickers.
 */
import { create } from 'zustand';
import type { TerminalView } from '../../shared/contract';
import { call, subscribe } from '../bridge';
import { describeError, type ShownError } from '../lib/errors';
import { useAppStore } from './app-store';

export type Unavailable =
  | { why: 'busy'; saleId: string | null; register: string | null }
  | { why: 'offline' }
  | { why: 'standalone' }
  | { why: 'other_register'; register: string }
  /** Another till of the shop is charging on it (the shop's terminal board). */
  | { why: 'other_till'; till: string };

/** Why this register cannot charge on `t` right now, or null when it can. */
export function unavailable(t: TerminalView, register: string | null): Unavailable | null {
  if (t.status === 'offline') return { why: 'offline' };
  if (t.mode === 'STANDALONE') return { why: 'standalone' };
  // An allow-list without this register (empty: any register may use it); main refuses the charge too.
  if (register && t.allowed.length > 0 && !t.allowed.includes(register)) return { why: 'other_register', register: t.allowed.join(', ') };
  if (t.board?.claim && !t.board.claim.mine) return { why: 'other_till', till: t.board.claim.till };
  if (t.status === 'busy') return { why: 'busy', saleId: t.busyWith?.saleId ?? null, register: t.busyWith?.register ?? null };
  return null;
}

interface TerminalsState {
  terminals: TerminalView[];
  loaded: boolean;
  error: ShownError | null;
  /** The register's chosen terminal; shown at once, remembered in main's settings. */
  selectedId: string | null;
  select(terminalId: string): void;
  refresh(): Promise<void>;
  /** Starts events and polling; returns the function that stops them. */
  start(pollMs?: number): () => void;
  update(view: TerminalView): void;
}

/**
 * In demo mode every terminal is labelled "DEMO n (…)": the simulator's terminals are named like a
 * shop's real ones, and a cashier must never take a simulated approval for a real payment. Numbered
 * in the order main lists them (a stable order), so DEMO 1 is the first one on screen.
 */
export function withDemoLabels(list: TerminalView[]): TerminalView[] {
  if (useAppStore.getState().info?.backend !== 'demo') return list;
  return list.map((t, i) => ({ ...t, label: `DEMO ${i + 1} (${t.label})` }));
}

/** Keeps each unchanged terminal object as it was, so memoized rows do not re-render on every poll. */
function merge(previous: TerminalView[], next: TerminalView[]): TerminalView[] {
  const byId = new Map(previous.map((t) => [t.id, t]));
  let changed = previous.length !== next.length;
  const merged = next.map((t, i) => {
    const old = byId.get(t.id);
    if (old && JSON.stringify(old) === JSON.stringify(t)) {
      if (previous[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return t;
  });
  return changed ? merged : previous;
}

export const useTerminalsStore = create<TerminalsState>()((set, get) => ({
  terminals: [],
  loaded: false,
  error: null,
  selectedId: null,

  select(terminalId) {
    if (get().selectedId === terminalId) return;
    set({ selectedId: terminalId });
    // Remembered per register so the choice survives restarts; a failure only costs the memory.
    void useAppStore
      .getState()
      .updateSettings({ defaultTerminalId: terminalId })
      .catch(() => undefined);
  },

  async refresh() {
    try {
      const list = withDemoLabels(await call('terminals.list'));
      set({ terminals: merge(get().terminals, list), loaded: true, error: null });
    } catch (error) {
      // Keep the last list: a hiccup should not blank the picker in front of the cashier.
      set({ error: describeError(error), loaded: true });
    }
  },

  start(pollMs = 4000) {
    const off = subscribe('terminals.changed', (list) =>
      set({ terminals: merge(get().terminals, withDemoLabels(list)), loaded: true, error: null }),
    );
    void get().refresh();
    // Demo or live decides the labels: relabel as soon as main says which (and when a token switches it).
    const offInfo = useAppStore.subscribe((s, prev) => {
      if (s.info?.backend !== prev.info?.backend) void get().refresh();
    });
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void get().refresh();
    }, pollMs);
    return () => {
      off();
      offInfo();
      clearInterval(timer);
    };
  },

  update(view) {
    // In demo mode the shown label carries the demo number: keep it; everything else is the fresh view.
    const demo = useAppStore.getState().info?.backend === 'demo';
    set({ terminals: get().terminals.map((t) => (t.id === view.id ? { ...view, label: demo ? t.label : view.label } : t)) });
  },
}));
