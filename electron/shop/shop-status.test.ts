/**
 * The shop server setting as services.ts uses it: a connect is tested the whole way before anything
 * is saved, a failed one names its problem and keeps the previous working setup, the password never
 * lands in the settings file, and the link it starts syncs the till's journal.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ShopStatus } from '../../shared/contract';
import { INSTANT } from '../simulator/test-kit';
import { startKit, waitFor, type Kit } from '../test-kits/engine-test-kit';
import { describeWithPg, freshDatabase, urlFor, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { silentLogger } from '../ground/logger';
import { aesGcmBox } from '../settings/token-vault';
import { createShopService, type ShopService } from './shop-status';

let kit: Kit;
let dir: string;
let db: ScratchDatabase;
let service: ShopService;
const changes: ShopStatus[] = [];

beforeEach(async () => {
  kit = await startKit(INSTANT);
  dir = mkdtempSync(join(tmpdir(), 'caja-shop-status-'));
  db = await freshDatabase();
  service = createShopService({
    dataDir: dir,
    secretBox: aesGcmBox(randomBytes(32), 'test'),
    log: silentLogger,
    tillName: () => 'Till 1',
    onChange: (s) => changes.push(s),
  });
  const engine = await kit.engine();
  service.attach({ engine, catalog: null as never, journalPath: kit.journalPath });
});
afterEach(async () => {
  await service.detach();
  await kit.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
  changes.length = 0;
});

describeWithPg('shop server setting', () => {
  it('saves nothing on a failed connect, keeps the password out of shop.json, and keeps the previous setup after a later failure', async () => {
    const good = new URL(db.url);
    const password = decodeURIComponent(good.password);
    expect(password).not.toBe('');
    const base = { ssl: 'disable' as const, shopId: 'centro', shopName: 'Centro' };

    expect(await service.connect({ ...base, url: urlFor(db.name, 'not-the-password') })).toEqual({ ok: false, problem: 'auth' });
    expect(await service.connect({ ...base, url: 'http://nowhere/x' })).toEqual({ ok: false, problem: 'bad-url' });
    expect(await service.connect({ ...base, url: 'postgres://caja@127.0.0.1:1/shop' })).toEqual({
      ok: false,
      problem: 'unreachable',
    });
    expect(service.status().state).toBe('off');
    expect(existsSync(join(dir, 'shop.json'))).toBe(false);
    expect(existsSync(join(dir, 'shop-db.vault'))).toBe(false);

    const ok = await service.connect({ ...base, url: db.url });
    expect(ok.ok).toBe(true);
    const saved = readFileSync(join(dir, 'shop.json'), 'utf8');
    expect(saved).toContain('centro');
    expect(saved).not.toContain(password);
    expect(readFileSync(join(dir, 'shop-db.vault')).includes(Buffer.from(password))).toBe(false);
    await waitFor(
      () => service.status(),
      (s) => s.state === 'connected' && s.pending === 0,
      'connected and synced',
    );
    expect(changes.at(-1)?.state).toBe('connected');

    // A wrong password later: refused, and the working setup (and its link) stay as they were.
    expect(await service.connect({ ...base, shopId: 'otro', url: urlFor(db.name, 'nope') })).toEqual({
      ok: false,
      problem: 'auth',
    });
    expect(service.status()).toMatchObject({ state: 'connected', shopId: 'centro', problem: null });
    expect(service.status().url).not.toContain(password);

    expect((await service.disconnect()).state).toBe('off');
    expect(existsSync(join(dir, 'shop-db.vault'))).toBe(false);
  });
});
