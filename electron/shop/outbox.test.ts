/**
 * The outbox against a real PostgreSQL and real charges (the simulator, engine test kit): every
 * journal event arrives once, in order per sale, whatever the server does meanwhile; the till sells
 * on when the server refuses it or cannot be reached.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import pg from 'pg';
import { INSTANT } from '../simulator/test-kit';
import { cart, INTENT, INTENT_2, ORDER, ORDER_2, startKit, waitFinal, waitFor, type Kit } from '../test-kits/engine-test-kit';
import { describeWithPg, freshDatabase, ownCluster, type OwnCluster, type ScratchDatabase } from '../test-kits/pg-test-kit';
import type { TestableCheckoutEngine } from '../checkout/engine';
import { Journal } from '../checkout/journal';
import { silentLogger } from '../ground/logger';
import { openShopDb, splitConnectionUrl } from './shop-db';
import { startShopLink, type ShopLink } from './shop-link';
import { openOutboxJournal, type OutboxBatch } from './outbox-journal';
import type { SaleState } from '../../shared/contract';
import { pushBatch } from './outbox';

const TERMINALS = [INTENT, INTENT_2, ORDER, ORDER_2];
// Amounts end in 00 (the simulator's plain approval; other tails script declines). Quick terminals and quick looks: 500 real charges in seconds, each still a create, reads and a payment.
const FAST_ENGINE = { pollFastMs: 10, pollSlowMs: 10, minReadIntervalMs: 0, searchDelayMs: 0, terminalCacheMs: 60_000 };
const SHOP = { shopId: 'shop-1', shopName: 'Almacén', tillId: '5d9c1f7e-0c1e-4a34-9f43-3f3c4b1b9a01', tillName: 'Till 1' };

let kit: Kit;
let engine: TestableCheckoutEngine;
const links: ShopLink[] = [];
const dbs: ScratchDatabase[] = [];

beforeEach(async () => {
  kit = await startKit(INSTANT);
  await kit.control.faults({ readsPerSecond: null });
  engine = await kit.engine({ timing: FAST_ENGINE });
});
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  await kit.close();
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

function link(url: string, overrides: { password?: string | null; batchSize?: number } = {}): ShopLink {
  const { url: kept, password } = splitConnectionUrl(url);
  const l = startShopLink({
    connection: { url: kept, ssl: 'disable', caCert: null },
    password: () => (overrides.password !== undefined ? overrides.password : password),
    ...SHOP,
    log: silentLogger,
    deps: { engine, catalog: null as never, journalPath: kit.journalPath, changed: () => undefined },
    retryMs: { min: 50, max: 400 },
    outbox: { retryMs: { min: 50, max: 400 }, tickMs: 100, batchSize: overrides.batchSize ?? 200 },
    db: { reconnectMs: { min: 50, max: 200 } },
  });
  links.push(l);
  return l;
}

/** Sells `n` sales to the end, spread over the four terminals (one charge per terminal at a time). */
async function sell(n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    TERMINALS.map(async (terminalId) => {
      while (next < n) {
        next++;
        const sale = await engine.charge({ cart: cart((10 + next) * 100), terminalId });
        ids.push(sale.id);
        const done = await waitFinal(engine, sale.id);
        expect(done.state).toBe('approved');
      }
    }),
  );
  return ids;
}

/** What the journal holds, read like a person would: every event and sale of it. */
function journalCounts() {
  const j = new Journal(kit.journalPath);
  try {
    return {
      events: j.get<{ n: number }>('SELECT count(*) AS n FROM events')!.n,
      sales: j.get<{ n: number }>('SELECT count(*) AS n FROM sales')!.n,
      lastSeq: j.get<{ n: number }>('SELECT max(seq) AS n FROM events')!.n,
    };
  } finally {
    j.close();
  }
}

async function serverCounts(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const one = async (sql: string) => Number((await c.query(sql)).rows[0].n);
    return {
      events: await one('SELECT count(*) AS n FROM events'),
      distinctEvents: await one('SELECT count(DISTINCT (till_id, journal_id, seq)) AS n FROM events'),
      sales: await one('SELECT count(*) AS n FROM sales'),
      approved: await one("SELECT count(*) AS n FROM sales WHERE state = 'approved'"),
      // Per sale, seq order and time order agree (events went in the order they were journaled).
      outOfOrder: await one(
        `SELECT count(*) AS n FROM (SELECT at < lag(at) OVER (PARTITION BY sale_id ORDER BY seq) AS back FROM events WHERE sale_id IS NOT NULL) x WHERE back`,
      ),
    };
  } finally {
    await c.end();
  }
}

async function synced(l: ShopLink) {
  return waitFor(
    () => l.status(),
    (s) => s.state === 'connected' && s.outbox?.pending === 0 && s.outbox.problem === null,
    'everything pushed',
    60_000,
  );
}

describeWithPg('outbox sync', () => {
  it('pushes every event and each sale once; the same batch delivered again adds nothing and an older snapshot never wins', async () => {
    const db = await freshDatabase();
    dbs.push(db);
    await sell(6);
    const l = link(db.url);
    await l.whenConnected();
    await synced(l);
    const local = journalCounts();
    let server = await serverCounts(db.url);
    expect(server).toMatchObject({ events: local.events, distinctEvents: local.events, sales: 6, approved: 6, outOfOrder: 0 });
    expect(l.status().outbox?.lastSyncAt).not.toBeNull();

    // Duplicate delivery: the very same batch again (a retry after a lost COMMIT answer).
    const journal = openOutboxJournal(kit.journalPath);
    const { url, password } = splitConnectionUrl(db.url);
    const shopDb = await openShopDb({ url, ssl: 'disable', caCert: null }, password, { log: silentLogger });
    try {
      const batch = journal.readBatch(0, 1000);
      const inserted = await shopDb.tx((c) => pushBatch(c, SHOP, journal.id, batch));
      expect(inserted).toBe(0);
      // A snapshot older than the server's (a delayed delivery) leaves the newer one in place.
      const stale: OutboxBatch = {
        ...batch,
        sales: batch.sales.map((s) => ({
          ...s,
          row: { ...s.row, state: 'at_terminal' as SaleState, updated_at: s.row.updated_at - 60_000 },
        })),
      };
      await shopDb.tx((c) => pushBatch(c, SHOP, journal.id, stale));
    } finally {
      journal.close();
      await shopDb.close();
    }
    server = await serverCounts(db.url);
    expect(server).toMatchObject({ events: local.events, distinctEvents: local.events, sales: 6, approved: 6 });

    // A sale made while connected arrives too (woken by the engine's change, no restart).
    await sell(1);
    await synced(l);
    expect(await serverCounts(db.url)).toMatchObject({ events: journalCounts().events, sales: 7, approved: 7 });
  });

  it('a wrong password gives `auth` and an unreachable server `unreachable`, while the till keeps charging', async () => {
    const db = await freshDatabase();
    dbs.push(db);
    const wrong = link(db.url, { password: 'not-the-password' });
    const nowhere = link('postgres://caja@127.0.0.1:1/shop');
    await waitFor(
      () => wrong.status(),
      (s) => s.problem === 'auth',
      'the auth problem',
      20_000,
    );
    await waitFor(
      () => nowhere.status(),
      (s) => s.problem === 'unreachable',
      'the unreachable problem',
      20_000,
    );
    const [id] = await sell(1);
    expect(engine.get(id!).state).toBe('approved');
    expect(wrong.status()).toMatchObject({ state: 'offline', problem: 'auth' });
    expect(nowhere.status()).toMatchObject({ state: 'offline', problem: 'unreachable' });
    // Pending counts this journal's events even though the outbox never reached a server.
    expect(nowhere.status().outbox?.pending).toBe(journalCounts().events);
  });
});

describeWithPg('outbox sync with the server going down', () => {
  let cluster: OwnCluster;
  beforeEach(() => {
    cluster = ownCluster(55440);
  });
  afterEach(() => {
    try {
      cluster.stop();
    } catch {
      // already stopped
    }
  });

  async function clusterDb(): Promise<string> {
    const name = `caja_outbox_${Date.now()}`;
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(cluster.url);
    url.pathname = `/${name}`;
    return url.toString();
  }

  it('a register offline during 500 sales pushes exactly those 500 sales and all their events on reconnecting, nothing twice, order kept', async () => {
    const url = await clusterDb();
    cluster.stop();
    const l = link(url);
    await waitFor(
      () => l.status(),
      (s) => s.problem === 'unreachable',
      'offline',
      20_000,
    );
    await sell(500);
    const local = journalCounts();
    expect(local.sales).toBe(500);
    expect(l.status().outbox?.pending).toBe(local.events);
    cluster.start();
    await l.whenConnected();
    await synced(l);
    expect(await serverCounts(url)).toMatchObject({
      events: local.events,
      distinctEvents: local.events,
      sales: 500,
      approved: 500,
      outOfOrder: 0,
    });
  }, 240_000);

  it('PostgreSQL restarted mid-sync: the sync resumes and the counts are exact', async () => {
    const url = await clusterDb();
    cluster.stop();
    // Small batches: the restart lands between two of them, not after the last.
    const l = link(url, { batchSize: 5 });
    await sell(200);
    const local = journalCounts();
    cluster.start();
    // Restart once part of the journal is on the server, none of it twice afterwards.
    await waitFor(
      () => l.status(),
      (s) => s.state === 'connected' && (s.outbox?.pending ?? 0) < local.events && (s.outbox?.pending ?? 0) > 0,
      'a first batch pushed',
      60_000,
    );
    // A restart as pg_ctl does it (fast shutdown: every session cut, then up again). Not the kit's
    // restart(): pg_ctl restart leaves the new server holding spawnSync's pipe, which then never returns.
    cluster.stop();
    cluster.start();
    await sell(20);
    await synced(l);
    const after = journalCounts();
    expect(await serverCounts(url)).toMatchObject({
      events: after.events,
      distinctEvents: after.events,
      sales: 220,
      approved: 220,
      outOfOrder: 0,
    });
  }, 240_000);
});
