/**
 * The change feed: the one way the checkout tells the outside world (IPC, the browser host) that
 * something changed. Listeners hear changes, not every poll: a sale's view is pushed only when it
 * differs from the last one pushed. A throwing listener is logged and never stops the engine.
 */
import type { AttentionItem, SaleView, TerminalView } from '../../shared/contract';
import type { Logger } from '../ground/logger';
import type { Journal } from './journal';
import { loadView } from './views';

export class ChangeFeed {
  private readonly sales = new Set<(sale: SaleView) => void>();
  private readonly terminals = new Set<(terminals: TerminalView[]) => void>();
  private readonly attention = new Set<(items: AttentionItem[]) => void>();
  private readonly lastPushed = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly journal: Journal,
    private readonly log: Logger,
  ) {}

  onSale(listener: (sale: SaleView) => void): () => void {
    this.sales.add(listener);
    return () => this.sales.delete(listener);
  }

  onTerminals(listener: (terminals: TerminalView[]) => void): () => void {
    this.terminals.add(listener);
    return () => this.terminals.delete(listener);
  }

  onAttention(listener: (items: AttentionItem[]) => void): () => void {
    this.attention.add(listener);
    return () => this.attention.delete(listener);
  }

  sale(saleId: string): void {
    if (this.closed || this.sales.size === 0) return;
    const row = this.journal.getSale(saleId);
    if (!row) return;
    const view = loadView(this.journal, row);
    const { updatedAt: _u, ...comparable } = view;
    const key = JSON.stringify(comparable);
    if (this.lastPushed.get(saleId) === key) return;
    this.lastPushed.set(saleId, key);
    if (this.lastPushed.size > 2000) this.lastPushed.delete(this.lastPushed.keys().next().value!);
    this.emit(this.sales, view, 'sale');
  }

  terminalList(views: TerminalView[]): void {
    if (this.closed) return;
    this.emit(this.terminals, views, 'terminal');
  }

  hasTerminalListeners(): boolean {
    return this.terminals.size > 0;
  }

  attentionItems(items: AttentionItem[]): void {
    if (this.closed) return;
    this.emit(this.attention, items, 'attention');
  }

  close(): void {
    this.closed = true;
    this.sales.clear();
    this.terminals.clear();
    this.attention.clear();
  }

  private emit<T>(listeners: Set<(v: T) => void>, value: T, what: string): void {
    for (const l of listeners) {
      try {
        l(value);
      } catch (e) {
        this.log.error(`${what} listener failed`, { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}
