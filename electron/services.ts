/**
 * Wires the main-side services together and implements every contract handler.
 * Used as-is by Electron's main.ts and by the browser host, so both run the same code; nothing here
 * imports Electron (the secret box and the app's identity come in as arguments).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { Account, AppInfo, CatalogChanges, EventName, EventPayload, HealthCheck, Locale, Product } from '../shared/contract';
import type { SiteId } from '../shared/money';
import { CajaError } from '../shared/errors';
import type { CheckoutEngine, Logger } from './checkout/engine-api';
import { createCheckoutEngine } from './checkout/engine';
import type { Catalog } from './catalog/catalog-api';
import { openCatalog } from './catalog/catalog-store';
import { createSharedCatalogSlot } from './shop/catalog-sync';
import type { Handlers } from './dispatch';
import { PointHttp } from './point/http';
import { createTestUser } from './point/test-users';
import { renderReceiptHtml } from './receipt/receipt-html';
import { openSettingsStore, toSettingsView } from './settings/settings-store';
import { openTokenVault, type SecretBox } from './settings/token-vault';
import { decideBackend, openBackendChoice, TOKEN_PROBLEM_MESSAGE, type TokenProblem } from './settings/backend-choice';
import { makeDataFolderPrivate, tighten } from './settings/private-files';
import { openDataFolder } from './settings/data-folder';
import type { Timing } from './simulator/control-api';
import { DEMO_ACCOUNT } from './simulator/seed';
import { createClaimsSlot } from './shop/terminal-board';
import { createShopService } from './shop/shop-status';
import { createShopHistorySlot } from './shop/shop-history';
import { DEFAULT_TIMING as SIMULATOR_DEFAULT_TIMING } from './simulator/state';
import { startSimulator, type Simulator } from './simulator';
import { enableIntegrators, removePhone } from './account/mobile-devices';
import { whoAmI } from './account/whoami';
import { redact } from './redact';
import { accessRules, guardHandlers } from './roles/access';
import { DEFAULT_LOCK_OUT, openManagerPin, type LockOutConfig } from './roles/manager-pin';
import { createManagerSession } from './roles/manager-session';

export const MERCADO_PAGO_BASE_URL = 'https://api.mercadopago.com';

/** The receipt's language when the renderer does not say: the country's own. */
const SITE_RECEIPT_LOCALE: Partial<Record<SiteId, Locale>> = { MLB: 'pt-BR', MLM: 'es-MX' };

export interface ServicesOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  platform: string;
  secretBox: SecretBox;
  log: Logger;
  /** Demo even when a token is stored (the `--demo` flag, the tests): a person's choice for this run. */
  forceDemo?: boolean;
  /**
   * Demo on a data folder that never had a token nor a recorded choice (`npm start`, whose README
   * promises the demo until a token is entered); recorded, so the folder stays demo until a token.
   */
  firstRunDemo?: boolean;
  /** How the demo terminals behave (tests make them fast or manual). */
  simulatorTiming?: Timing;
  /**
   * A simulator that outlives this app (tests restarting the app mid-payment need Mercado Pago's side
   * to survive, as it would). Without it, demo mode starts its own, persisted in the data folder.
   */
  externalSimulator?: Pick<Simulator, 'baseUrl' | 'terminalScreenUrl'>;
  /** Where a live till talks to Mercado Pago (tests point it at a simulator); default the real API. */
  liveBaseUrl?: string;
  /** The manager session's clock, idle lock and PIN lock-out (tests set them instead of waiting). */
  manager?: { now?: () => number; idleMs?: number; lockOut?: Partial<LockOutConfig> };
}

/** Each account's sales in a journal of its own; `journal.sqlite` for a till whose account was never checked. */
export function journalFileFor(account: Account | null): string {
  return account ? `journal-${account.id.replace(/[^\w-]/g, '_')}.sqlite` : 'journal.sqlite';
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Services {
  handlers: Handlers;
  subscribe(listener: EventListener): () => void;
  /** The simulator of demo mode, null when live. */
  simulator(): SimulatorEndpoint | null;
  close(): Promise<void>;
}

type SimulatorEndpoint = Pick<Simulator, 'baseUrl' | 'terminalScreenUrl'>;

interface Backend {
  mode: 'demo' | 'live';
  /** Live without a usable token: charging is refused with this reason. */
  tokenProblem: TokenProblem;
  engine: CheckoutEngine;
  /** For the manager's account calls that are not about a sale (test users). */
  http: PointHttp;
  baseUrl: string;
  getToken: () => string | null;
  simulator: SimulatorEndpoint | null;
  ownSimulator: Simulator | null;
  detach: () => void;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  makeDataFolderPrivate(options.dataDir);
  const choice = openBackendChoice(join(options.dataDir, 'backend.json'));
  const settings = openSettingsStore(join(options.dataDir, 'settings.json'));
  const vault = openTokenVault(join(options.dataDir, 'token.vault'), options.secretBox);
  // The journals and the catalog live in the data folder a manager chose (a pending move is applied
  // here, before either is opened); everything else stays in the app's own folder.
  const dataFolder = openDataFolder(options.dataDir, options.log);
  const storeDir = dataFolder.inUse();
  if (storeDir !== options.dataDir) makeDataFolderPrivate(storeDir);
  const catalog: Catalog = openCatalog(join(storeDir, 'catalog.sqlite'));
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => listeners.forEach((l) => l(event, payload));
  // The shop's shared catalog, when a shop link runs it: edits go through it, other tills' reach the renderer.
  const sharedCatalog = createSharedCatalogSlot({
    statePath: join(options.dataDir, 'shop-catalog.sqlite'),
    // A shop set up but not reachable yet: catalog edits are refused (CATALOG_OFFLINE), never kept on this till alone.
    shopConfigured: () => shopLink.status().state !== 'off',
    onRemoteChange: (changes) => catalogEdit(() => null, () => changes),
  });
  // The shop's terminal board, for every engine of this run: a shop link attaches a board to it.
  const terminalClaims = createClaimsSlot();
  // The shop link (multi-register) when a shop is configured: one link per engine, never waited for.
  const shopLink = createShopService({
    dataDir: options.dataDir,
    secretBox: options.secretBox,
    log: options.log,
    tillName: () => settings.get().registerId,
    onChange: (status) => emit('shop.changed', status),
  });
  // The shop-wide history (every till's sales, refunds from any till), when a shop link runs it.
  const shopHistory = createShopHistorySlot((notifications) => emit('shop.salesChanged', { notifications }));

  async function startBackend(): Promise<Backend> {
    const decision = decideBackend({
      forceDemo: options.forceDemo === true,
      // `npm start` (scripts/start.mjs) says so through the environment, for Electron and browser alike.
      firstRunDemo: options.firstRunDemo ?? process.env.CAJA_FIRST_RUN === 'demo',
      vault: vault.state(),
      recorded: choice.get(),
    });
    if (decision.record) choice.set(decision.record);
    const demo = decision.mode === 'demo';
    let simulator: SimulatorEndpoint | null = null;
    let ownSimulator: Simulator | null = null;
    if (demo) {
      if (options.externalSimulator) {
        simulator = options.externalSimulator;
      } else {
        // Persisted so that a charge in flight when the demo app closes is still there on restart.
        ownSimulator = await startSimulator({
          port: 0,
          timing: options.simulatorTiming,
          stateFile: join(options.dataDir, 'simulator-state.json'),
        });
        simulator = ownSimulator;
      }
      // The demo account decides the site, so amounts, limits and currency match what it accepts.
      // Only on a folder without a token: `--demo` on a live till must not rewrite the shop's country.
      if (settings.get().site !== DEMO_ACCOUNT.site && vault.state() === 'empty') settings.update({ site: DEMO_ACCOUNT.site });
      if (catalog.count() === 0) catalog.seedDemo(DEMO_ACCOUNT.site);
    }
    const { site, registerId } = settings.get();
    const baseUrl = simulator?.baseUrl ?? options.liveBaseUrl ?? MERCADO_PAGO_BASE_URL;
    const getToken = () => (demo ? DEMO_ACCOUNT.token : vault.get());
    const journalPath = join(storeDir, demo ? 'journal-demo.sqlite' : journalFileFor(settings.get().account));
    const engine = createCheckoutEngine({
      journalPath,
      baseUrl,
      getToken,
      site,
      register: registerId,
      log: options.log,
      terminalClaims,
      // "No payment" counts only from a search made after the search index caught up: in demo mode
      // the simulator's own lag is known, so a cancelled demo charge settles in seconds, not 20.
      timing: {
        // The manager's bounded poll interval (settings.pollSeconds) for a charge waiting on the customer.
        pollSlowMs: settings.get().pollSeconds * 1000,
        ...(demo ? { searchDelayMs: (options.simulatorTiming?.searchDelayMs ?? SIMULATOR_DEFAULT_TIMING.searchDelayMs) + 500 } : {}),
      },
    });
    const offSale = engine.onSaleChanged((sale) => emit('sale.changed', sale));
    const offTerminals = engine.onTerminalsChanged((terminals) => emit('terminals.changed', terminals));
    const offAttention = engine.onAttentionChanged((items) => emit('attention.changed', items));
    await engine.ready;
    options.log.info('backend started', { mode: decision.mode, tokenProblem: decision.problem, site, register: registerId });
    // Files created since the last pass (a new journal, its -wal) are private too.
    tighten(options.dataDir);
    // After the engine is ready; returns at once (the link connects in the background, retrying).
    shopLink.attach({
      engine,
      catalog,
      journalPath,
      catalogSlot: sharedCatalog,
      terminalClaims,
      historySlot: shopHistory,
      mercadoPago: { baseUrl, getToken, site },
    });
    return {
      mode: decision.mode,
      tokenProblem: decision.problem,
      engine,
      http: new PointHttp({ baseUrl, getToken, log: options.log }),
      baseUrl,
      getToken,
      simulator,
      ownSimulator,
      detach: () => {
        offSale();
        offTerminals();
        offAttention();
      },
    };
  }

  async function stopBackend(b: Backend): Promise<void> {
    // The link reads the engine's journal and hears its changes: it stops first.
    await shopLink.detach();
    b.detach();
    await b.engine.close();
    await b.ownSimulator?.close();
  }

  let backend = await startBackend();

  /**
   * Site, register and token changes need a new engine: it journals them on every sale. The old one
   * stops first, so two engines never poll the same charges from one journal.
   */
  async function restartBackend(): Promise<void> {
    await stopBackend(backend);
    backend = await startBackend();
  }

  const engine = () => backend.engine;
  /**
   * The engine for anything that talks to Mercado Pago. A live till without a usable token refuses
   * here, with the reason a manager can act on, before a sale is journaled or a request leaves.
   */
  const chargingEngine = () => {
    if (backend.tokenProblem) throw new CajaError('AUTH', TOKEN_PROBLEM_MESSAGE[backend.tokenProblem]);
    return backend.engine;
  };

  /**
   * Bumped on every catalog write and pushed with what changed, so a renderer's search copy patches
   * itself in place (or refetches when `changes` is null, after an import).
   */
  let catalogVersion = 1;
  function catalogEdit<T>(write: () => T, changes: (result: T) => CatalogChanges): T {
    const result = write();
    catalogVersion += 1;
    emit('catalog.changed', { version: catalogVersion, changes: changes(result) });
    return result;
  }
  const settingsView = () => toSettingsView(settings.get(), vault.has());

  const managerPin = openManagerPin(join(options.dataDir, 'manager.json'), { ...DEFAULT_LOCK_OUT, ...options.manager?.lockOut });
  const session = createManagerSession(managerPin, options.manager?.now, options.manager?.idleMs);
  const liveBaseUrl = options.liveBaseUrl ?? MERCADO_PAGO_BASE_URL;

  /**
   * The first checked account takes over the journal of a till that had none recorded (its sales
   * were that account's); a different account later starts a journal of its own.
   */
  function adoptLegacyJournal(account: Account): void {
    const legacy = join(storeDir, journalFileFor(null));
    if (settings.get().account !== null || !existsSync(legacy)) return;
    const target = join(storeDir, journalFileFor(account));
    if (existsSync(target)) return;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(legacy + suffix)) renameSync(legacy + suffix, target + suffix);
  }

  async function healthCheck(): Promise<HealthCheck[]> {
    const item = (check: HealthCheck['check'], level: HealthCheck['level'], problem: HealthCheck['problem'] = null, more: Partial<HealthCheck> = {}): HealthCheck => ({
      check,
      level,
      problem,
      terminalId: null,
      label: null,
      value: null,
      ...more,
    });
    if (backend.tokenProblem) return [item('token', 'red', 'token_missing')];
    const token = backend.getToken();
    if (!token) return [item('token', 'red', 'token_missing')];
    let me;
    try {
      me = await whoAmI(backend.baseUrl, token);
    } catch (error) {
      return [item('token', 'red', error instanceof CajaError && error.code === 'AUTH' ? 'token_rejected' : 'unreachable')];
    }
    const out: HealthCheck[] = [item('token', 'green')];
    const saved = settings.get().account;
    out.push(backend.mode === 'live' && saved && saved.id !== me.account.id ? item('account', 'red', 'account_mismatch') : item('account', 'green'));
    const skew = me.skewMs === null ? null : Math.round(me.skewMs / 1000);
    out.push(
      skew === null
        ? item('clock', 'amber', 'unknown')
        : item('clock', Math.abs(skew) > 60 ? 'red' : Math.abs(skew) > 10 ? 'amber' : 'green', Math.abs(skew) > 10 ? 'clock_skew' : null, { value: skew }),
    );
    const left = me.rateRemaining;
    // Mercado Pago does not promise this header; without it the allowance is unknown, never "fine".
    out.push(left === null ? item('rate_limit', 'amber', 'rate_unreported') : item('rate_limit', left < 5 ? 'red' : left < 50 ? 'amber' : 'green', left < 50 ? 'rate_low' : null, { value: left }));
    for (const t of await backend.engine.listTerminals()) {
      const more = { terminalId: t.id, label: t.label };
      if (t.status === 'offline') out.push(item('terminal', 'red', 'offline', more));
      else if (t.mode === 'STANDALONE') out.push(item('terminal', 'red', 'standalone', more));
      else out.push(item('terminal', 'green', null, more));
    }
    return out;
  }

  const handlers: Handlers = {
    'app.getInfo': () => ({
      name: 'Caja',
      version: options.version,
      shell: options.shell,
      backend: backend.mode,
      platform: options.platform,
      terminalScreenUrl: backend.simulator?.terminalScreenUrl ?? null,
      tokenProblem: backend.tokenProblem,
    }),

    'settings.get': settingsView,
    'settings.update': async (patch) => {
      const before = settings.get();
      if (patch.site && backend.mode === 'demo' && patch.site !== DEMO_ACCOUNT.site) {
        throw new CajaError('INVALID_INPUT', `The demo account is in ${DEMO_ACCOUNT.site}; add a token to use another country.`);
      }
      const after = settings.update(patch);
      if (after.site !== before.site || after.registerId !== before.registerId || after.pollSeconds !== before.pollSeconds) await restartBackend();
      return settingsView();
    },
    'settings.setToken': async ({ token, confirmSwitch }) => {
      // Never saved unchecked: a mistyped or foreign token would send the shop's payments elsewhere.
      const { account } = await whoAmI(liveBaseUrl, token);
      const current = settings.get().account;
      if (current && current.id !== account.id && confirmSwitch !== true) {
        throw new CajaError(
          'CONFLICT',
          `This token belongs to another Mercado Pago account (${account.nickname}, ${account.id}), not ${current.nickname} (${current.id}). Confirm the switch to use it; each account keeps its own sales.`,
        );
      }
      const restart = !options.forceDemo;
      if (restart && backend.mode === 'live') await stopBackend(backend);
      adoptLegacyJournal(account);
      vault.set(token);
      // The account decides the country: its amounts, limits and currency are the ones it accepts.
      settings.update(options.forceDemo ? { account } : { account, site: account.site });
      if (restart) backend = await startBackend();
      return settingsView();
    },
    'account.checkToken': async ({ token }) => {
      const { account } = await whoAmI(liveBaseUrl, token);
      const current = settings.get().account;
      return { account, current, switching: current !== null && current.id !== account.id };
    },
    'app.chooseDemo': async () => {
      if (vault.state() !== 'empty' || choice.get() === 'live') {
        throw new CajaError('CONFLICT', 'This till has had a Mercado Pago token: it stays live. Start it with --demo to train.');
      }
      choice.set('demo');
      await restartBackend();
      return handlers['app.getInfo'](undefined) as AppInfo;
    },

    'manager.status': () => session.status(),
    'manager.setPin': ({ pin }) => session.setPin(pin),
    'manager.unlock': ({ pin }) => session.unlock(pin),
    'manager.lock': () => session.lock(),

    'terminals.clearStuck': async ({ terminalId }) => {
      const t = (await chargingEngine().listTerminals()).find((v) => v.id === terminalId);
      if (!t) throw new CajaError('TERMINAL_NOT_FOUND', 'That terminal is not on this Mercado Pago account. Refresh the list.');
      // Only a sale in this till's journal is this shop's to cancel; anything else on the terminal is left alone.
      const saleId = t.busyWith?.saleId ?? null;
      if (saleId) {
        const sale = await engine().cancel(saleId);
        return { terminalId, outcome: sale.state === 'cancelled' ? ('cancelled' as const) : ('cancelling' as const), saleId, sale };
      }
      return { terminalId, outcome: t.status === 'busy' ? ('foreign' as const) : ('nothing' as const), saleId: null, sale: null };
    },
    'terminals.health': () => healthCheck(),
    'app.diagnostics': () => {
      const s = settings.get();
      const logFile = join(options.dataDir, 'caja.log');
      const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-50) : [];
      const text = [
        `Caja ${options.version} · ${options.shell} · ${backend.mode}${backend.tokenProblem ? ` (token ${backend.tokenProblem})` : ''}`,
        `Node ${process.versions.node} · ${options.platform} · Electron ${process.versions.electron ?? '—'}`,
        `Data folder: ${storeDir}${storeDir !== options.dataDir ? ` (app folder: ${options.dataDir})` : ''}`,
        // Settings hold no secret (the token is in the vault); the account's e-mail is left out all the same.
        `Settings: ${JSON.stringify({ ...s, account: s.account && { id: s.account.id, nickname: s.account.nickname, site: s.account.site } })}`,
        `Manager PIN set: ${managerPin.isSet()}`,
        '',
        `Last ${lines.length} log lines:`,
        ...lines.map((l) => redact(l)),
      ].join('\n');
      return { text, dataDir: storeDir };
    },
    'app.dataFolder': () => dataFolder.state(),
    'app.setDataFolder': ({ path }) => dataFolder.request(path),
    'sales.backup': () => {
      const name = backend.mode === 'demo' ? 'journal-demo.sqlite' : journalFileFor(settings.get().account);
      const journal = join(storeDir, name);
      if (!existsSync(journal)) throw new CajaError('NOT_FOUND', 'There is no journal to back up yet.');
      const dir = join(storeDir, 'backups');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = join(dir, `${name.replace(/\.sqlite$/, '')}-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
      // VACUUM INTO writes a consistent copy while the engine keeps journaling (a WAL reader blocks nobody).
      const db = new DatabaseSync(journal, { readOnly: true });
      try {
        db.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
      } finally {
        db.close();
      }
      tighten(storeDir);
      return { path: target, bytes: statSync(target).size };
    },
    'terminals.enableIntegrators': async () => {
      chargingEngine(); // refuses first when the token is missing or unreadable
      const token = backend.getToken();
      if (!token) throw new CajaError('AUTH', TOKEN_PROBLEM_MESSAGE.missing);
      // The call names the account by its user id: asked of Mercado Pago, not taken from settings.
      const { account } = await whoAmI(backend.baseUrl, token);
      await enableIntegrators(backend.http, account.id);
      return { enabled: true as const };
    },
    'terminals.removeDevice': async ({ terminalId }) => {
      const t = (await chargingEngine().listTerminals()).find((v) => v.id === terminalId);
      if (!t) throw new CajaError('TERMINAL_NOT_FOUND', 'That terminal is not on this Mercado Pago account. Refresh the list.');
      if (t.family !== 'mobile') throw new CajaError('INVALID_INPUT', 'Only phones (mobile API) can be removed here; Point terminals are unlinked in Mercado Pago.');
      if (t.busyWith?.saleId) throw new CajaError('TERMINAL_BUSY', 'That phone has a charge of this shop open: clear it first.');
      await removePhone(backend.http, terminalId);
      return backend.engine.listTerminals();
    },

    'terminals.list': () => chargingEngine().listTerminals(),
    'terminals.setMode': ({ terminalId, mode }) => chargingEngine().setTerminalMode(terminalId, mode),
    'terminals.assign': ({ terminalId, registers }) => chargingEngine().assignTerminal(terminalId, registers),
    // Recorded on the shop server (terminal_claim_releases) and in this till's journal (the engine, inside
    // the same transaction), with this register as who released it.
    'terminals.releaseClaim': async ({ terminalId }) => {
      await terminalClaims.releaseClaim(terminalId, settings.get().registerId);
      return engine().listTerminals();
    },

    'accounts.createTestUser': ({ site }) => (chargingEngine(), createTestUser(backend.http, site)),

    'catalog.search': ({ query, limit }) => catalog.search(query, limit),
    'catalog.lookup': ({ code }) => catalog.lookup(code),
    'catalog.list': ({ offset, limit }) => catalog.list(offset, limit),
    'catalog.snapshot': ({ offset, limit }) => ({
      version: catalogVersion,
      total: catalog.count(),
      columns: catalog.columns(offset, limit),
    }),
    'catalog.upsert': (input) => {
      const shared = sharedCatalog.current();
      const upserted = (product: Product) => ({ upserted: [product], deleted: [] });
      if (shared) return shared.upsert(input).then((product) => catalogEdit(() => product, upserted));
      return catalogEdit(() => catalog.upsert(input), upserted);
    },
    'catalog.delete': ({ id }) => {
      const shared = sharedCatalog.current();
      const deleted = () => ({ upserted: [], deleted: [id] });
      if (shared) return shared.delete(id).then((gone) => catalogEdit(() => ({ deleted: gone }), deleted));
      return catalogEdit(() => ({ deleted: catalog.delete(id) }), deleted);
    },
    'catalog.importPreview': ({ csv }) => catalog.importPreview(csv, settings.get().site),
    'catalog.importCommit': async ({ csv }) => {
      const shared = sharedCatalog.current();
      const site = settings.get().site;
      const imported = await (shared ? shared.importCommit(csv, site) : catalog.importCommit(csv, site));
      return catalogEdit(
        () => ({ imported }),
        () => null,
      );
    },

    'checkout.charge': (input) => chargingEngine().charge(input),
    'checkout.cancel': ({ saleId }) => engine().cancel(saleId),
    'checkout.get': ({ saleId }) => engine().get(saleId),
    'checkout.unfinished': () => engine().unfinished(),
    'checkout.recheck': ({ saleId }) => engine().recheck(saleId),
    // The manager's PIN stands in front of it (roles/access.ts); journaled with this register.
    'checkout.resolve': ({ saleId, note }) => engine().resolve(saleId, note),
    'attention.list': () => engine().attention(),
    'attention.acknowledge': ({ id }) => engine().acknowledgeAttention(id),

    'sales.history': (filter) => {
      const shop = shopHistory.current();
      return filter.scope === 'shop' && shop ? shop.history(filter) : engine().history(filter);
    },
    // Another till's sale is read from the shop; this till's from its journal (with the shop's till name).
    'sales.detail': ({ saleId }) => shopHistory.current()?.detail(saleId) ?? engine().detail(saleId),
    // With a shop, every refund is claimed shop-wide first (two tills never refund one sale at once).
    'sales.refund': ({ saleId, amount }) => {
      // A refund needs a till that may talk to Mercado Pago (a usable token), through the shop or not.
      const own = chargingEngine();
      const shop = shopHistory.current();
      return shop ? shop.refund(saleId, amount) : own.refund(saleId, amount);
    },
    'sales.exportCsv': (filter) => engine().exportCsv(filter),
    'sales.reconcile': ({ day, scope, tillId }) => {
      const shop = shopHistory.current();
      return scope === 'shop' && shop ? shop.reconcile(day, tillId) : engine().reconcile(day);
    },

    'shop.status': () => shopLink.status(),
    'shop.connect': (input) => shopLink.connect(input),
    'shop.disconnect': () => shopLink.disconnect(),

    'receipt.render': ({ saleId, locale: shown }) => {
      const s = settings.get();
      const locale = shown ?? s.locale ?? SITE_RECEIPT_LOCALE[s.site] ?? 'es-AR';
      // Another till's sale (whole-shop history) is read from the shop; this till's from its journal.
      const shop = shopHistory.current();
      if (shop) return shop.detail(saleId).then((d) => ({ html: renderReceiptHtml(d, { name: s.shopName, address: s.shopAddress }, locale) }));
      return { html: renderReceiptHtml(engine().detail(saleId), { name: s.shopName, address: s.shopAddress }, locale) };
    },
  };

  const rules = accessRules({
    pinSet: () => managerPin.isSet(),
    refundAboveThreshold(saleId, amount) {
      let sale: { total: number; refundedAmount: number } | null = null;
      try {
        sale = engine().get(saleId);
      } catch (error) {
        if (!(error instanceof CajaError && error.code === 'NOT_FOUND' && shopHistory.current())) throw error;
      }
      // Another till's sale, refunded from here through the shop: what is left of it is known only
      // there, so "everything left" counts as above the threshold (the manager decides).
      if (!sale) return amount === undefined || amount > settings.get().refundThreshold;
      return (amount ?? sale.total - sale.refundedAmount) > settings.get().refundThreshold;
    },
  });

  return {
    // Every handler behind its access rule: both pipes and any direct caller meet the same gate.
    handlers: guardHandlers(handlers, rules, session),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    simulator: () => backend.simulator,
    async close() {
      await stopBackend(backend);
      catalog.close();
    },
  };
}
