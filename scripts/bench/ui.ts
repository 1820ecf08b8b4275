/**
 * The cashier's screen under a 50,000-product catalog, in the real app (services + simulator) and
 * Debian's Chromium. Every figure is measured in the page (performance.now + requestAnimationFrame)
 * and printed beside its budget and, where one exists, a floor from the same run. Prints only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright';
import { chromiumLaunchOptions } from '../../e2e/chromium';
import { syntheticProducts, toCsv } from '../../electron/catalog/synthetic-catalog';
import { startBrowserApp } from '../../electron/host/browser-app';

const N = 50_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = join(root, 'dist', 'renderer');
const TYPED = ['agua mineral', 'alfajor triple', 'yerba playadito', 'leche entera', 'SYN-04', '77900010'];

const ms = (v: number) => `${v.toFixed(1)} ms`;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const median = (values: number[]) => percentile(values, 50);

/**
 * Installed before any page script: timestamps of input and of the cart screen's first useful frame.
 * Plain JS text on purpose: tsx would wrap a TS function's inner helpers in `__name`, unknown in the page.
 */
const PROBE = `
  window.__lastInput = 0;
  // Timestamps the bridge's socket so the report can separate transport from the renderer's own work.
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      const send = this.send.bind(this);
      this.send = (data) => { window.__sent = performance.now(); send(data); };
      this.addEventListener('message', () => { window.__answered = performance.now(); });
    }
  };
  for (const type of ['keydown', 'click']) addEventListener(type, () => { window.__lastInput = performance.now(); }, { capture: true });
  const mo = new MutationObserver(() => {
    if (document.querySelector('input[type=search]') && document.querySelector('.cart') && document.querySelector('.quick-key')) {
      mo.disconnect();
      requestAnimationFrame(() => { window.__firstRender = performance.now(); });
    }
  });
  mo.observe(document, { childList: true, subtree: true });
  // Resolves with input -> painted once done() holds.
  window.__until = (done) => new Promise((ok) => {
    const finish = () => { window.__dom = performance.now() - window.__lastInput; requestAnimationFrame(() => ok(performance.now() - window.__lastInput)); };
    if (done()) return finish();
    const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); finish(); } });
    watch.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  });
`;

async function firstRender(page: Page): Promise<number> {
  await page.waitForFunction(() => typeof (window as unknown as { __firstRender?: number }).__firstRender === 'number');
  return page.evaluate(() => (window as unknown as { __firstRender: number }).__firstRender);
}

/** What index.html loads up front (scripts, styles, preloads), gzipped as it would travel. */
function bundleSize(): { files: number; raw: number; gz: number } {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  let raw = 0;
  let gz = 0;
  for (const ref of new Set(refs)) {
    const body = readFileSync(join(rendererDir, ref));
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { files: new Set(refs).size, raw, gz };
}

async function blankFloor(page: Page): Promise<number> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>floor</title><p>Caja</p>'),
  );
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      await page.goto(url);
      samples.push(
        await page.evaluate(
          () =>
            new Promise<number>((ok) => {
              const fcp = performance.getEntriesByName('first-contentful-paint')[0];
              if (fcp) return ok(fcp.startTime);
              new PerformanceObserver((list) => ok(list.getEntries()[0]!.startTime)).observe({ type: 'paint', buffered: true });
            }),
        ),
      );
    }
  } finally {
    server.close();
  }
  return median(samples);
}

export async function benchUi(): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.log('ui: building the renderer first (vite --mode renderer-only)…');
    execFileSync('npx', ['vite', 'build', '--mode', 'renderer-only'], { cwd: root, stdio: 'ignore' });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'caja-bench-ui-'));
  const app = await startBrowserApp({ dataDir, port: 0, forceDemo: true, rendererDir });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const imported = app.services.handlers['catalog.importCommit']({ csv: toCsv(syntheticProducts(N)) }) as { imported: number };
    const total = (app.services.handlers['catalog.list']({ offset: 0, limit: 1 }) as { total: number }).total;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: PROBE });

    // First render: navigation start → search, cart and quick keys on screen. The first load warms caches.
    await page.goto(app.host.url);
    const renders: number[] = [await firstRender(page)];
    for (let i = 0; i < 4; i++) {
      await page.reload();
      renders.push(await firstRender(page));
    }

    // Steady state: let the page finish its background start-up (the renderer's catalog snapshot).
    await page.waitForTimeout(6000);

    // Search: every keystroke of a few real queries, keypress → the results for that exact text painted.
    const box = page.getByRole('searchbox').first();
    const keystrokes: number[] = [];
    const domOnly: number[] = [];
    const transport: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const query of TYPED) {
        await box.fill('');
        await box.focus();
        for (let i = 0; i < query.length; i++) {
          const text = query.slice(0, i + 1);
          const waiting = page.evaluate(
            (q) =>
              (window as unknown as { __until: (d: () => boolean) => Promise<number> }).__until(
                () => (document.querySelector('[data-testid=search-results]') as HTMLElement | null)?.dataset.query === q,
              ),
            text,
          );
          await page.keyboard.press(query[i] === ' ' ? 'Space' : query[i]!);
          const t = await waiting;
          if (round > 0) {
            keystrokes.push(t); // round 0 warms the JIT on both sides
            const probe = await page.evaluate(() => {
              const w = window as unknown as { __dom: number; __sent: number; __answered: number };
              return { __dom: w.__dom, __sent: w.__sent, __answered: w.__answered };
            });
            domOnly.push(probe.__dom);
            transport.push(probe.__answered - probe.__sent);
          }
        }
      }
    }
    await box.fill('');

    // Floor for the same gesture: a keypress whose only effect is the next frame (input dispatch + frame wait).
    const frameFloor: number[] = [];
    await page.keyboard.press('Escape');
    for (let i = 0; i < 30; i++) {
      const waiting = page.evaluate(() =>
        (window as unknown as { __until: (d: () => boolean) => Promise<number> }).__until(() => true),
      );
      await page.keyboard.press('Shift');
      frameFloor.push(await waiting);
    }

    // Cart: 199 lines already there (restored from storage), the 200th added by a quick key.
    const lines = Array.from({ length: 199 }, (_, i) => ({
      key: `bench-${i}`,
      productId: null,
      sku: null,
      name: `Línea ${i + 1}`,
      unitPrice: 1000 + i,
      quantity: 1,
      discount: 0,
    }));
    const adds: number[] = [];
    for (let run = 0; run < 5; run++) {
      await page.evaluate(
        (l) =>
          localStorage.setItem(
            'caja.cart',
            JSON.stringify({ state: { lines: l, cartDiscount: 0, saleId: null, past: [] }, version: 1 }),
          ),
        lines,
      );
      await page.reload();
      await firstRender(page);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=cart-line]').length === 199);
      const waiting = page.evaluate(() =>
        (window as unknown as { __until: (d: () => boolean) => Promise<number> }).__until(
          () => document.querySelectorAll('[data-testid=cart-line]').length === 200,
        ),
      );
      await page.locator('.quick-key').first().click();
      adds.push(await waiting);
    }
    await page.evaluate(() => localStorage.removeItem('caja.cart'));

    const floor = await blankFloor(page);
    const bundle = bundleSize();

    console.log(
      `ui: ${total.toLocaleString('en')} products in the catalog (${imported.imported.toLocaleString('en')} imported), Chromium ${browser.version()}`,
    );
    console.log(
      `search   keypress → results painted (${keystrokes.length} keystrokes): p50 ${ms(median(keystrokes))}  p95 ${ms(percentile(keystrokes, 95))}  max ${ms(Math.max(...keystrokes))}   budget p95 < 16 ms`,
    );
    console.log(
      `         results in the DOM: p50 ${ms(median(domOnly))}  p95 ${ms(percentile(domOnly, 95))};  of which socket round trip to main: p50 ${ms(median(transport))}  p95 ${ms(percentile(transport, 95))}`,
    );
    console.log(
      `         floor: keypress → next frame with no work at all: p50 ${ms(median(frameFloor))}  p95 ${ms(percentile(frameFloor, 95))}`,
    );
    console.log(
      `cart     200th line, click → painted (5 runs): median ${ms(median(adds))}  max ${ms(Math.max(...adds))}   budget < 16 ms`,
    );
    console.log(
      `render   navigation → cart screen usable (5 loads): median ${ms(median(renders))}  first ${ms(renders[0]!)}   budget < 500 ms   floor (blank page FCP) ${ms(floor)}`,
    );
    console.log(
      `bundle   ${bundle.files} files loaded by index.html: ${(bundle.raw / 1024).toFixed(1)} KB raw, ${(bundle.gz / 1024).toFixed(1)} KB gzip   budget < 250 KB gz`,
    );
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchUi();
}
