/**
 * The shop link: one till's connection to its shop's PostgreSQL and the parts that use it (outbox
 * sync, shared catalog, terminal board, webhook hints, shop-wide history).
 *
 * Never in the way of a sale: `startShopLink` returns at once and connects in the background. While
 * the server cannot be reached (or refuses the password) the till sells from its own journal exactly
 * as without a shop, and the link keeps retrying with back-off; the status says why it is not
 * connected (a `ShopProblem` code the renderer words). When the link closes or the server goes away
 * mid-run, each part's own retry (the outbox's back-off, `listen`'s reconnect) takes over.
 *
 * services.ts holds one link per backend: it is started after the engine and catalog exist, and
 * stopped before the engine closes (a demo/live switch makes a new engine, so a new link).
 */
import type { CheckoutEngine } from '../checkout/engine-api';
import type { Catalog } from '../catalog/catalog-api';
import type { Logger } from '../ground/logger';
import type { SecretBox } from '../settings/token-vault';
import { openTokenVault, type TokenVault } from '../settings/token-vault';
import { join } from 'node:path';
import { openShopDb, type OpenShopDbOptions, type ShopConnection, type ShopDb } from './shop-db';
import { classifyPgError, isTransient, type ShopProblem } from './shop-problems';
import { registerTill } from './till-registration';
import { startShopHistory, type MercadoPagoAccess, type ShopHistorySlot } from './shop-history';
import { startWebhookHints } from './webhook-hints';
import { startSharedCatalog, type SharedCatalogSlot } from './catalog-sync';
import { startTerminalBoard, type ClaimsSlot } from './terminal-board';
import { startOutbox, type OutboxOptions } from './outbox';
import { openOutboxJournal, type OutboxJournal } from './outbox-journal';

/** What every part of the shop link gets: the open database and who this till is. */
export interface ShopContext {
  db: ShopDb;
  shopId: string;
  tillId: string;
  tillName: string;
  log: Logger;
}

/** What each part hands back; `stop` ends its loops and listeners (the link closes the database after). */
export interface ShopPart {
  stop(): Promise<void>;
  /** The outbox's sync status (the status bar shows it); other parts leave it out. */
  outboxStatus?(): OutboxStatus;
}

/**
 * The till's own services a part may use. Parts that need more add a field here (targeted edit).
 * `changed` tells the link a part's status moved (the link then tells the renderer, `shop.changed`).
 */
export interface ShopLinkDeps {
  engine: CheckoutEngine;
  catalog: Catalog;
  /** Where services.ts reads the shared catalog's writes (catalog-sync.ts); absent: the catalog stays this till's own. */
  catalogSlot?: SharedCatalogSlot;
  /** The journal the engine writes (demo, or one per account): the outbox reads it on a connection of its own. */
  journalPath: string;
  changed: () => void;
  /** The claims slot the engine was created with (services.ts); the terminal board attaches to it. */
  terminalClaims?: ClaimsSlot;
  /** Where services.ts finds the shop-wide history (shop-history.ts), and the Mercado Pago it reconciles against. */
  historySlot?: ShopHistorySlot;
  mercadoPago?: MercadoPagoAccess;
}

export interface OutboxStatus {
  /** Events in this till's journal not yet on the server (known once connected). */
  pending: number;
  /** When the last batch reached the server (ms), null before the first one. */
  lastSyncAt: number | null;
  /** The last push failed with this problem (it is being retried). */
  problem: ShopProblem | null;
}

export interface ShopLinkStatus {
  /** `connecting` first try in progress · `connected` · `offline` not connected, retrying (see `problem`). */
  state: 'connecting' | 'connected' | 'offline';
  problem: ShopProblem | null;
  shopId: string;
  shopName: string;
  tillName: string;
  outbox: OutboxStatus | null;
}

// ──────────────────────────────────────────────────────────────────────────────────────────────
// The parts of the shop link, started in this order once the database is open and the till is
// registered (stopped in reverse). One line per part; each owner adds its own.
// ──────────────────────────────────────────────────────────────────────────────────────────────
type PartStarter = (ctx: ShopContext, deps: ShopLinkDeps, local: LinkLocal) => Promise<ShopPart> | ShopPart;
const PARTS: { name: string; start: PartStarter }[] = [
  { name: 'outbox', start: (ctx, deps, local) => startOutbox(ctx, deps, local.outboxJournal, local.outboxOptions) }, // S1: journal → events/sales
  { name: 'webhook hints', start: startWebhookHints }, // S4: caja_webhook → engine.hint (reads the charge at once)
  { name: 'terminal board', start: (ctx, deps) => (deps.terminalClaims ? startTerminalBoard(ctx, { slot: deps.terminalClaims, engine: () => deps.engine }) : { stop: async () => undefined }) }, // S3: claims + allow-lists, caja_board
  { name: 'catalog', start: (ctx, deps) => startSharedCatalog(ctx, deps.catalog, deps.catalogSlot) }, // S2: caja_catalog → this till's catalog; edits at the version seen
  { name: 'shop history', start: (ctx, deps) => (deps.historySlot && deps.mercadoPago ? startShopHistory(ctx, { engine: deps.engine, journalPath: deps.journalPath, mercadoPago: deps.mercadoPago }, deps.historySlot) : { stop: async () => undefined }) }, // S5: whole-shop history, reconciliation, refunds from any till
  // S2 catalog sync, S3 terminal board, S4 webhook hints, S5 shop-wide history: one line each, here.
];

/** What the link keeps open while it runs, connected or not (the outbox counts pending offline too). */
interface LinkLocal {
  outboxJournal: OutboxJournal;
  outboxOptions?: OutboxOptions;
}

export interface ShopLinkOptions {
  connection: ShopConnection;
  /** Read when connecting (each retry reads it again: a password fixed meanwhile is picked up). */
  password: () => string | null;
  shopId: string;
  shopName: string;
  tillId: string;
  tillName: string;
  log: Logger;
  deps: ShopLinkDeps;
  /** Back-off between connection attempts (tests shorten it). */
  retryMs?: { min: number; max: number };
  /** Outbox pace (tests and the bench). */
  outbox?: OutboxOptions;
  /** Passed to openShopDb (tests shorten the LISTEN reconnect). */
  db?: Partial<Omit<OpenShopDbOptions, 'log'>>;
}

export interface ShopLink {
  status(): ShopLinkStatus;
  /** Resolves when connected and every part started (tests; the app never waits on it). */
  whenConnected(): Promise<void>;
  /** Wakes a waiting retry now (the manager pressed "retry", or a setting changed). */
  retryNow(): void;
  stop(): Promise<void>;
}

/** The shop database's password, sealed like the Mercado Pago token. */
export function openShopPasswordVault(dataDir: string, box: SecretBox): TokenVault {
  return openTokenVault(join(dataDir, 'shop-db.vault'), box);
}

export function startShopLink(options: ShopLinkOptions): ShopLink {
  const { log, deps } = options;
  const retry = options.retryMs ?? { min: 1_000, max: 60_000 };
  let state: ShopLinkStatus['state'] = 'connecting';
  let problem: ShopProblem | null = null;
  let stopped = false;
  let db: ShopDb | null = null;
  const started: ShopPart[] = [];
  const local: LinkLocal = { outboxJournal: openOutboxJournal(deps.journalPath), outboxOptions: options.outbox };
  let wake: (() => void) | null = null;
  let connectedResolve!: () => void;
  const connected = new Promise<void>((r) => (connectedResolve = r));

  const status = (): ShopLinkStatus => {
    // Before the outbox runs (never connected yet), pending counts from the last push this journal noted.
    const j = local.outboxJournal;
    const outbox = started.find((p) => p.outboxStatus)?.outboxStatus?.() ?? {
      pending: j.countAfter(j.pushedSeq()),
      lastSyncAt: j.lastSyncAt(),
      problem: null,
    };
    return {
      state,
      // Connected but the last push failed (the server went away since): that problem shows.
      problem: state === 'connected' ? (outbox?.problem ?? null) : problem,
      shopId: options.shopId,
      shopName: options.shopName,
      tillName: options.tillName,
      outbox,
    };
  };

  async function connectOnce(): Promise<void> {
    const opened = await openShopDb(options.connection, options.password(), { log, ...options.db });
    try {
      await registerTill(opened, {
        shopId: options.shopId,
        shopName: options.shopName,
        tillId: options.tillId,
        tillName: options.tillName,
      });
      const ctx: ShopContext = { db: opened, shopId: options.shopId, tillId: options.tillId, tillName: options.tillName, log };
      for (const part of PARTS) {
        if (stopped) break;
        started.push(await part.start(ctx, deps, local));
        log.info('shop link: part started', { part: part.name });
      }
    } catch (error) {
      await stopParts();
      await opened.close();
      throw error;
    }
    db = opened;
  }

  async function stopParts(): Promise<void> {
    while (started.length > 0) {
      const part = started.pop()!;
      await part.stop().catch((error) => log.warn('shop link: a part failed to stop', { error: String(error) }));
    }
  }

  // The connection loop: the first success ends it; parts handle the server going away afterwards.
  const loop = (async () => {
    let delay = retry.min;
    while (!stopped) {
      try {
        await connectOnce();
        if (stopped) {
          // stop() came while connecting: undo what this attempt started.
          await stopParts();
          await (db as ShopDb | null)?.close();
          db = null;
          break;
        }
        state = 'connected';
        problem = null;
        log.info('shop link: connected', { shopId: options.shopId });
        deps.changed();
        connectedResolve();
        return;
      } catch (error) {
        problem = classifyPgError(error);
        state = 'offline';
        log.warn('shop link: cannot connect; the till keeps selling and retries', { problem, inMs: delay });
        deps.changed();
      }
      // A setting to fix (password, database name) is retried less eagerly than a server that is down.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, problem && !isTransient(problem) ? Math.max(delay, retry.max / 4) : delay);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      delay = Math.min(delay * 2, retry.max);
    }
  })();

  return {
    status,
    whenConnected: () => connected,
    retryNow: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await stopParts();
      const d = db;
      db = null;
      await d?.close();
      local.outboxJournal.close();
    },
  };
}
