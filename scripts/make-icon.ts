/** Renders assets/icon.svg to the 512×512 PNG electron-builder turns into each OS's icon format. */
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../e2e/chromium';

const assets = join(import.meta.dirname, '..', 'assets');
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<body style="margin:0;background:transparent">${readFileSync(join(assets, 'icon.svg'), 'utf8')}</body>`);
await page.locator('svg').screenshot({ path: join(assets, 'icon.png'), omitBackground: true });
await browser.close();
console.log('wrote assets/icon.png');
