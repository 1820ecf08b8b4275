/**
 * `npm run demo`: Caja in the system browser, for machines where Electron cannot run.
 *   --port N        listen on N (default 5180; 0 picks a free one)
 *   --data-dir DIR  where settings, catalog and journal live (default ~/.caja-browser)
 *   --demo          use the built-in simulator even if a token is stored (implied by `npm run demo`)
 *   --no-open       only print the URL
 *   --simulator URL use a simulator already running there (two tills sharing one set of demo terminals)
 *   --shop-db URL   join a shop on this PostgreSQL (or CAJA_SHOP_DB); the password may be in the URL
 *   --shop ID       the shop to join (default "demo-shop"); --till NAME this till's register name
 *   --pin PIN       the manager PIN (--till and --shop-db are manager actions): set on a new data
 *                   folder, checked on one that has a PIN
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserApp } from './browser-app';
import { TOKEN_PROBLEM_MESSAGE } from '../settings/backend-choice';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string', default: join(homedir(), '.caja-browser') },
    demo: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    simulator: { type: 'string' },
    'shop-db': { type: 'string', default: process.env.CAJA_SHOP_DB },
    shop: { type: 'string', default: 'demo-shop' },
    till: { type: 'string' },
    pin: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

// `npm run demo` is a person asking for the demo by its name.
const forceDemo = values.demo || process.env.npm_lifecycle_event === 'demo';
const simulatorUrl = values.simulator?.replace(/\/+$/, '');
const app = await startBrowserApp({
  dataDir: resolve(values['data-dir']),
  port,
  forceDemo,
  ...(simulatorUrl ? { externalSimulator: { baseUrl: simulatorUrl, terminalScreenUrl: `${simulatorUrl}/__sim/screen` } } : {}),
});
// The operator's own command line stands in for the manager here (the Manager screen does the same
// with the PIN): this till's name, then the shop it joins. The till sells whether or not it connects.
if ((values.till || values['shop-db']) && values.pin) {
  const manager = await app.services.handlers['manager.status'](undefined);
  const status = manager.pinSet
    ? await app.services.handlers['manager.unlock']({ pin: values.pin })
    : await app.services.handlers['manager.setPin']({ pin: values.pin });
  if (!status.unlocked) {
    console.error('--pin: that is not the manager PIN of this data folder.');
    process.exit(2);
  }
} else if (values.till || values['shop-db']) {
  console.error('--till and --shop-db change the till as a manager would: give the manager PIN with --pin.');
  process.exit(2);
}
if (values.till) await app.services.handlers['settings.update']({ registerId: values.till });
if (values['shop-db']) {
  const sslmode = new URL(values['shop-db']).searchParams.get('sslmode');
  const joined = await app.services.handlers['shop.connect']({
    url: values['shop-db'],
    ssl: sslmode === 'verify-full' || sslmode === 'verify-ca' ? 'verify-full' : sslmode === 'require' ? 'require' : 'disable',
    shopId: values.shop,
    shopName: values.shop,
  });
  console.log(
    joined.ok
      ? `Joined shop "${values.shop}" as ${joined.status.tillName}.`
      : `Could not join the shop: ${joined.problem}. This till sells on its own.`,
  );
}
const info = await app.services.handlers['app.getInfo'](undefined);
// The printed and opened link works once: the host's secret itself never appears in a command
// line (the browser's, here) nor on screen, where any process or passer-by could read it.
const link = app.host.launchUrl();
console.log(`Caja is running (${info.backend} mode) at:\n\n  ${link}\n`);
if (info.backend === 'demo') console.log('DEMO MODE: payments are simulated; no real money moves.');
// The same words the app's own refusal uses (the token is entered on the Manager screen, not Settings).
if (info.tokenProblem) console.log(TOKEN_PROBLEM_MESSAGE[info.tokenProblem]);
if (info.terminalScreenUrl) console.log(`Simulated terminals (play the customer here): ${info.terminalScreenUrl}`);
console.log('The link works once: press Enter here for a new one. Press Ctrl-C to stop.');
process.stdin.on('data', () => console.log(`  ${app.host.launchUrl()}`));
process.stdin.on('error', () => undefined); // no terminal attached: the first link is all there is

if (!values['no-open'] && !process.env.CI) openBrowser(link);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Caja…');
    void app.close().then(() => process.exit(0));
  });
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser opener on this machine: the printed URL is enough
    child.unref();
  } catch {
    // same as above
  }
}
