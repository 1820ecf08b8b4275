/**
 * What every desk of the checkout stands on: one object, built once by the engine facade and
 * handed to each desk. Desks call each other only through what they are given, and everything
 * they tell the outside world goes through the change feed, so no circle forms.
 */
import type { SiteId } from '../../shared/money';
import type { Clock } from '../ground/clock';
import type { Logger } from '../ground/logger';
import type { TerminalDirectory } from '../point/terminal-directory';
import type { EngineTiming, TerminalClaims } from './engine-api';
import type { Journal } from './journal';
import type { TerminalRegistry } from './terminals';

export interface CheckoutDeps {
  journal: Journal;
  directory: TerminalDirectory;
  terminals: TerminalRegistry;
  clock: Clock;
  log: Logger;
  site: SiteId;
  /** This register's id: written on every sale, and who a journaled action was taken by. */
  register: string;
  timing: EngineTiming;
  /** The shop's terminal board, when this till is part of a shop; null: local rules only. */
  claims: TerminalClaims | null;
  /** True once the engine closed (or "crashed" in tests): nothing may be written after that. */
  isClosed(): boolean;
  pushSale(saleId: string): void;
  pushTerminals(): void;
  pushAttention(): void;
}
