/**
 * Playwright drives Debian's Chromium, never a browser of its own (none can be downloaded here).
 * The flags keep it off the network: this machine refuses outside connections, and Chromium's
 * background services would otherwise retry them all the time.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium 156 preloads its own omnibox popup (WebUI, chrome://omnibox-popup.top-chrome) at start,
  // in a renderer of its own: 260 ms of CPU inside a fresh browser's first page load on this 2-core
  // machine (bench ui). A headless browser never shows it, and Electron, where Caja runs, has no
  // omnibox at all. WebUIOmniboxAimPopup alone stops it in 156; the other two cover its siblings.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return path;
}

export function chromiumLaunchOptions(): LaunchOptions {
  return { executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true };
}
