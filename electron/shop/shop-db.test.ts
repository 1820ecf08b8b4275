import { afterEach, expect, it } from 'vitest';
import { describeWithPg, openTestShopDb, dropConnections, freshDatabase, urlFor, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { splitConnectionUrl, type ShopDb } from './shop-db';
import { SHOP_SCHEMA_VERSION } from './shop-migrations';
import { ShopDbError } from './shop-problems';
import { registerTill, tillsOfShop } from './till-registration';
import { redact } from '../redact';

const open: ShopDb[] = [];
const dbs: ScratchDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

async function scratch() {
  const db = await freshDatabase();
  dbs.push(db);
  return db;
}
async function connect(url: string) {
  const db = await openTestShopDb(url);
  open.push(db);
  return db;
}

it('splits the password out of the URL the manager typed, and the logs never show it', () => {
  const s = splitConnectionUrl('postgresql://caja:s3cr%40t@db.example.com:6543/shop?sslmode=verify-full&application_name=x');
  expect(s.password).toBe('s3cr@t');
  expect(s.url).not.toContain('s3cr');
  expect(s.url).toContain('db.example.com:6543/shop');
  expect(s.sslFromUrl).toBe('verify-full');
  expect(redact('connecting to postgres://caja:s3cr3t@db:5432/x failed')).toBe('connecting to postgres://caja:[redacted]@db:5432/x failed');
  for (const bad of ['http://db/x', 'postgres://db', 'not a url']) {
    expect(() => splitConnectionUrl(bad)).toThrow(ShopDbError);
  }
});

describeWithPg('the shop database', () => {
  it('migrates once even when ten tills connect at the same moment, and registers each till', async () => {
    const db = await scratch();
    const tills = await Promise.all(Array.from({ length: 10 }, () => connect(db.url)));
    expect(tills.every((t) => t.schemaVersion === SHOP_SCHEMA_VERSION)).toBe(true);
    const applied = await tills[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM caja_schema');
    expect(applied[0]!.n).toBeGreaterThan(0);
    await Promise.all(
      tills.map((t, i) => registerTill(t, { shopId: 'shop-1', shopName: 'Almacén', tillId: `00000000-0000-4000-8000-00000000000${i}`, tillName: `Caja ${i + 1}` })),
    );
    expect((await tillsOfShop(tills[0]!, 'shop-1')).map((t) => t.name)).toHaveLength(10);
  });

  it('says which setting is wrong: password, database, server', async () => {
    const db = await scratch();
    const bad = (url: string) => connect(url).then(() => null, (e: unknown) => (e as ShopDbError).problem);
    expect(await bad(urlFor(db.name, 'wrong-password'))).toBe('auth');
    expect(await bad(urlFor('caja_no_such_db'))).toBe('no-database');
    const closed = new URL(db.url);
    closed.port = '1';
    expect(await bad(closed.toString())).toBe('unreachable');
  });

  it('refuses a database another till upgraded past what this build knows', async () => {
    const db = await scratch();
    const first = await connect(db.url);
    await first.query('INSERT INTO caja_schema (version, name) VALUES ($1, $2)', [SHOP_SCHEMA_VERSION + 100, 'from the future']);
    await expect(connect(db.url)).rejects.toMatchObject({ problem: 'schema-newer' });
  });

  it('LISTEN comes back after the server drops the connection, and says so to catch up', async () => {
    const db = await scratch();
    const shop = await connect(db.url);
    const got: string[] = [];
    let reconnects = 0;
    await shop.listen('caja_test', (p) => got.push(p), () => reconnects++);
    await shop.query("SELECT pg_notify('caja_test', 'one')");
    await expect.poll(() => got).toEqual(['one']);
    await dropConnections(db.name);
    await expect.poll(() => reconnects, { timeout: 10_000 }).toBe(1);
    await shop.query("SELECT pg_notify('caja_test', 'two')");
    await expect.poll(() => got).toEqual(['one', 'two']);
  });
});
