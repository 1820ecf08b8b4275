/**
 * A 20 MiB product file through the real host while the till keeps working: another call is
 * answered while the import is still being checked (ordering, not a stopwatch), the answer is a
 * summary rather than the file back, and the memory it used is given back.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_IMPORT_BYTES } from '../../shared/contract';
import { startBrowserApp, type BrowserApp } from './browser-app';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

let app: BrowserApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'caja-import-load-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Caja</title>');
  app = await startBrowserApp({ dataDir, port: 0, forceDemo: true, rendererDir, keysDir: join(dataDir, 'keys') });
});

afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Just under the limit: about 300,000 products with accents, codes and categories. */
function twentyMiB(): string {
  const rows = ['nombre,precio,sku,código de barras,categoría,favorito'];
  let bytes = Buffer.byteLength(rows[0]!) + 1;
  for (let i = 0; ; i++) {
    const row = `Producto número ${i},${(i % 9000) + 100}.50,SKU-${i},${7790000000000 + i},Almacén,${i % 7 === 0 ? 'sí' : 'no'}`;
    const size = Buffer.byteLength(row) + 1;
    if (bytes + size > MAX_IMPORT_BYTES) break;
    rows.push(row);
    bytes += size;
  }
  return rows.join('\n') + '\n';
}

it('answers another call while a 20 MiB import is checked, and answers the import with a summary', async () => {
  const csv = twentyMiB();
  expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_IMPORT_BYTES - 1024);
  expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(MAX_IMPORT_BYTES);
  const secret = new URL(app.host.url).hash.replace('#secret=', '');
  const ws = new WebSocket(`ws://127.0.0.1:${app.host.port}/caja?secret=${secret}`, { origin: app.host.origin });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));

  gc();
  const before = process.memoryUsage();
  const order: number[] = [];
  let importAnswer: { ok: boolean; value?: { total: number; valid: number; invalid: number; rows: unknown[]; truncated: boolean } } | null = null;
  let importAnswerBytes = 0;
  const started = performance.now();
  const both = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; result?: never };
      if (frame.id === undefined) return; // a pushed event
      order.push(frame.id);
      if (frame.id === 1) {
        importAnswer = frame.result!;
        importAnswerBytes = String(data).length;
      }
      if (order.length === 2) resolve();
    });
  });
  ws.send(JSON.stringify({ id: 1, channel: 'catalog.importPreview', input: { csv } }));
  // Sent after the import on the same socket, so the host reads it while the import runs.
  ws.send(JSON.stringify({ id: 2, channel: 'catalog.lookup', input: { code: '7790001000019' } }));
  await both;
  const seconds = (performance.now() - started) / 1000;
  ws.close();

  expect(order).toEqual([2, 1]);
  expect(importAnswer).toMatchObject({ ok: true, value: { valid: expect.any(Number), invalid: 0, truncated: true } });
  const value = importAnswer!.value!;
  expect(value.total).toBeGreaterThan(250_000);
  expect(value.rows.length).toBeLessThanOrEqual(200);
  expect(importAnswerBytes).toBeLessThan(64 * 1024);

  gc();
  const after = process.memoryUsage();
  console.log(
    `[import] 20 MiB preview over the host: ${value.total} rows in ${seconds.toFixed(1)} s; answer ${(importAnswerBytes / 1024).toFixed(1)} KiB; heap ${(before.heapUsed / MiB).toFixed(0)} → ${(after.heapUsed / MiB).toFixed(0)} MiB, rss ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB`,
  );
  expect((after.heapUsed - before.heapUsed) / MiB).toBeLessThan(64);
});
