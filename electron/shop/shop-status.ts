/**
 * How services.ts holds the shop link: one service for the whole run, a link per backend.
 *
 * `attach` is called once the engine and catalog exist and starts a link when a shop is configured
 * (it returns at once: the link connects in the background and retries while the server is down);
 * `detach` stops it before the engine closes (a demo/live or register switch makes a new engine, so a
 * new link on the new journal). `connect` tests a new setup completely (connect, migrate, register)
 * before saving anything, so a failed attempt leaves the previous working setup and link untouched.
 * The password goes to its vault (`shop-db.vault`) and never into a status, a log or the renderer.
 */
import type { Logger } from '../ground/logger';
import type { ShopStatus } from '../../shared/contract';
import type { SecretBox } from '../settings/token-vault';
import { join } from 'node:path';
import { openShopDb, splitConnectionUrl, type ShopConnection } from './shop-db';
import { classifyPgError, type ShopProblem } from './shop-problems';
import { openShopSettings } from './shop-settings';
import { registerTill } from './till-registration';
import { openShopPasswordVault, startShopLink, type ShopLink, type ShopLinkDeps } from './shop-link';

export interface ShopConnectRequest {
  url: string;
  password?: string;
  ssl: ShopConnection['ssl'];
  caCert?: string | null;
  shopId: string;
  shopName: string;
}

export type ShopConnectResult = { ok: true; status: ShopStatus } | { ok: false; problem: ShopProblem };

export interface ShopService {
  attach(deps: Omit<ShopLinkDeps, 'changed'>): void;
  detach(): Promise<void>;
  status(): ShopStatus;
  connect(request: ShopConnectRequest): Promise<ShopConnectResult>;
  disconnect(): Promise<ShopStatus>;
}

export interface ShopServiceOptions {
  dataDir: string;
  secretBox: SecretBox;
  log: Logger;
  /** This till's name on the shop: its register id (the one the engine journals on every sale). */
  tillName: () => string;
  onChange: (status: ShopStatus) => void;
}

export function createShopService(options: ShopServiceOptions): ShopService {
  const { log } = options;
  const membership = openShopSettings(join(options.dataDir, 'shop.json'));
  const vault = openShopPasswordVault(options.dataDir, options.secretBox);
  let deps: Omit<ShopLinkDeps, 'changed'> | null = null;
  let link: ShopLink | null = null;
  // Status changes arrive in bursts (a batch per few ms while catching up): one push per tick is enough.
  let queued = false;
  const changed = () => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      options.onChange(status());
    });
  };

  function start(): void {
    const m = membership.get();
    if (!m?.connection || !deps) return;
    link = startShopLink({
      connection: m.connection,
      password: () => vault.get(),
      shopId: m.shopId,
      shopName: m.shopName,
      tillId: m.tillId,
      tillName: options.tillName(),
      log,
      deps: { ...deps, changed },
    });
  }

  async function stop(): Promise<void> {
    const l = link;
    link = null;
    await l?.stop();
  }

  function status(): ShopStatus {
    const m = membership.get();
    if (!m?.connection) {
      return {
        state: 'off',
        problem: null,
        shopId: null,
        shopName: null,
        tillName: null,
        url: null,
        ssl: null,
        pending: null,
        lastSyncAt: null,
      };
    }
    const s = link?.status();
    return {
      state: s?.state ?? 'offline',
      problem: s?.problem ?? null,
      shopId: m.shopId,
      shopName: m.shopName,
      tillName: options.tillName(),
      url: m.connection.url,
      ssl: m.connection.ssl,
      pending: s?.outbox?.pending ?? null,
      lastSyncAt: s?.outbox?.lastSyncAt ? new Date(s.outbox.lastSyncAt).toISOString() : null,
    };
  }

  return {
    attach(next) {
      deps = next;
      start();
      changed();
    },
    async detach() {
      deps = null;
      await stop();
    },
    status,
    async connect(request) {
      let connection: ShopConnection;
      let password: string | null;
      try {
        const split = splitConnectionUrl(request.url);
        connection = { url: split.url, ssl: request.ssl, caCert: request.caCert ?? null };
        password = request.password ?? split.password;
      } catch (error) {
        return { ok: false, problem: classifyPgError(error) };
      }
      // The whole way once, as the link will go: credentials, TLS, schema, this till's row.
      try {
        const db = await openShopDb(connection, password, { log, max: 1 });
        try {
          await registerTill(db, {
            shopId: request.shopId,
            shopName: request.shopName,
            tillId: membership.tillId(),
            tillName: options.tillName(),
          });
        } finally {
          await db.close();
        }
      } catch (error) {
        const problem = classifyPgError(error);
        log.warn('shop server: connection test failed; previous setup kept', { problem });
        return { ok: false, problem };
      }
      await stop();
      if (password === null) vault.clear();
      else vault.set(password);
      membership.set({ connection, shopId: request.shopId, shopName: request.shopName, tillId: membership.tillId() });
      log.info('shop server: connected and saved', { shopId: request.shopId });
      start();
      changed();
      return { ok: true, status: status() };
    },
    async disconnect() {
      await stop();
      membership.disconnect();
      vault.clear();
      changed();
      return status();
    },
  };
}
