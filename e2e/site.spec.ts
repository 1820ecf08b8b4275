/**
 * The download page in Chromium as visitors on Windows, macOS and Linux see it: the right installer
 * first with its version, size and SHA-256, every other download listed with its checksum, the
 * language switch, and the page's accessibility (axe). Built here from the committed sample manifest,
 * so the specs need nothing but the repository.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSite, formatSize } from '../scripts/build-site';
import type { Artifact, Manifest } from '../scripts/release-manifest';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'site', 'release-manifest.sample.json'), 'utf8')) as Manifest;
const siteDir = mkdtempSync(join(tmpdir(), 'caja-site-'));
buildSite(join(root, 'site', 'release-manifest.sample.json'), siteDir);
const pageUrl = (path = 'index.html') => pathToFileURL(join(siteDir, path)).toString();

const UA = {
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  macos: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36',
};

const artifact = (os: Artifact['os'], kind: Artifact['kind'], arch: Artifact['arch']) =>
  manifest.artifacts.find((a) => a.os === os && a.kind === kind && a.arch === arch)!;

async function open(page: Page, path?: string) {
  await page.goto(pageUrl(path));
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
}

async function expectPrimary(page: Page, a: Artifact, label: RegExp) {
  const button = page.locator('#primary-download');
  await expect(button).toHaveText(label);
  await expect(button).toHaveAttribute('href', a.url);
  const details = page.locator('#primary-details');
  await expect(details).toContainText(manifest.version);
  await expect(details.locator('[data-field="file"]')).toHaveText(a.file);
  await expect(details.locator('[data-field="size"]')).toHaveText(formatSize(a.size, 'es'));
  await expect(details.locator('[data-field="sha256"]')).toHaveText(a.sha256);
  await expect(page.locator(`#downloads tr.recommended`)).toHaveAttribute('data-file', a.file);
}

test.describe('on Windows', () => {
  test.use({ userAgent: UA.windows });

  test('offers the Windows installer first, with version, size and SHA-256, and opens the Windows notes', async ({ page }) => {
    await open(page);
    await expect(page.locator('#detected')).toHaveText('Detectamos que usa Windows.');
    await expectPrimary(page, artifact('windows', 'nsis', 'x64'), /^Descargar para Windows \(64 bits\)$/);
    await expect(page.locator('#alternative')).toBeHidden();
    await expect(page.locator('#notes-windows')).toHaveAttribute('open', '');
    await expect(page.locator('#notes-windows')).toContainText('SmartScreen');
    await expect(page.locator('#notes-macos')).not.toHaveAttribute('open', '');
  });
});

test.describe('on macOS', () => {
  test.use({ userAgent: UA.macos });

  test('offers the Apple silicon dmg first when the processor is unknown, with Intel beside it', async ({ page }) => {
    // Safari and Firefox send no client hints, and a Mac's user-agent string says "Intel" on every Mac.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined }));
    await open(page);
    await expectPrimary(page, artifact('macos', 'dmg', 'arm64'), /^Descargar para macOS \(Apple Silicon/);
    const intel = artifact('macos', 'dmg', 'x64');
    await expect(page.locator('#alternative-download')).toHaveAttribute('href', intel.url);
    await expect(page.locator('#alternative-download')).toHaveText(/Intel/);
    await expect(page.locator('#notes-macos')).toHaveAttribute('open', '');
    await expect(page.locator('#notes-macos')).toContainText('Gatekeeper');
  });

  for (const [architecture, arch] of [
    ['x86', 'x64'],
    ['arm', 'arm64'],
  ] as const) {
    test(`believes Chromium's client hints about the processor (${architecture} → ${arch})`, async ({ page, context }) => {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setUserAgentOverride', {
        userAgent: UA.macos,
        userAgentMetadata: {
          platform: 'macOS',
          platformVersion: '15.0.0',
          architecture,
          bitness: '64',
          model: '',
          mobile: false,
        },
      });
      await open(page);
      await expect(page.locator('#primary-download')).toHaveAttribute('href', artifact('macos', 'dmg', arch).url);
    });
  }
});

test.describe('on Linux', () => {
  test.use({ userAgent: UA.linux });

  test('offers the AppImage first and opens the notes on making it executable', async ({ page }) => {
    await open(page);
    await expectPrimary(page, artifact('linux', 'appimage', 'x64'), /^Descargar para Linux \(64 bits\)$/);
    await expect(page.locator('#notes-linux')).toHaveAttribute('open', '');
    await expect(page.locator('#notes-linux')).toContainText('chmod +x');
  });
});

test.describe('on a phone', () => {
  test.use({ userAgent: UA.android });

  test('offers no installer first, says where Caja runs, and still lists every download', async ({ page }) => {
    await open(page);
    await expect(page.locator('#primary-download')).toBeHidden();
    await expect(page.locator('#detected')).toHaveText('Caja funciona en computadoras con Windows, macOS o Linux.');
    await expect(page.locator('#downloads tbody tr')).toHaveCount(manifest.artifacts.length);
  });
});

test.describe('every visitor', () => {
  test.use({ userAgent: UA.linux });

  test("sees every file with the manifest's own SHA-256, size and link, and the release's SHA256SUMS", async ({ page }) => {
    await open(page);
    const rows = page.locator('#downloads tbody tr');
    await expect(rows).toHaveCount(manifest.artifacts.length);
    for (const a of manifest.artifacts) {
      const row = page.locator(`#downloads tr[data-file="${a.file}"]`);
      await expect(row.locator('code.sha')).toHaveText(a.sha256);
      await expect(row.locator('td.size')).toHaveText(formatSize(a.size, 'es'));
      await expect(row.getByRole('link')).toHaveAttribute('href', a.url);
    }
    await expect(page.locator('#checksums')).toHaveAttribute('href', manifest.checksumsUrl);
    await expect(page.getByRole('note')).toContainText('Datos de ejemplo');
  });

  test('switches between Spanish, Portuguese and English, keeping the detected installer first', async ({ page }) => {
    await open(page);
    const nav = page.getByRole('navigation', { name: 'Idioma' });
    await expect(nav.getByRole('link', { name: 'Español' })).toHaveAttribute('aria-current', 'page');

    await nav.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Download Caja ${manifest.version}`);
    await expect(page.locator('#primary-download')).toHaveText('Download for Linux (64-bit)');
    await expect(page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'English' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Português' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Baixar o Caja ${manifest.version}`);
    await expect(page.locator('#primary-download')).toHaveText('Baixar para Linux (64 bits)');

    await page.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'Español' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  });

  test('has no accessibility violations (axe, WCAG 2.1 AA) in any language', async ({ page }) => {
    for (const path of ['index.html', 'pt/index.html', 'en/index.html']) {
      await open(page, path);
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, userAgent: UA.macos });

  test('still offers an installer and lists every download', async ({ page }) => {
    await page.goto(pageUrl());
    await expect(page.locator('#primary-download')).toHaveAttribute('href', artifact('windows', 'nsis', 'x64').url);
    await expect(page.locator('#downloads tbody tr')).toHaveCount(manifest.artifacts.length);
  });
});
