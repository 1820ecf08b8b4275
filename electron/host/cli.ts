/**
 * `npm run demo`: Caja in the system browser, for machines where Electron cannot run.
 *   --port N        listen on N (default 5180; 0 picks a free one)
 *   --data-dir DIR  where settings, catalog and journal live (default ~/.caja-browser)
 *   --demo          use the built-in simulator even if a token is stored
 *   --no-open       only print the URL
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserApp } from './browser-app';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string', default: join(homedir(), '.caja-browser') },
    demo: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

const app = await startBrowserApp({ dataDir: resolve(values['data-dir']), port, forceDemo: values.demo });
const info = await app.services.handlers['app.getInfo'](undefined);
console.log(`Caja is running (${info.backend} mode) at:\n\n  ${app.host.url}\n`);
if (info.terminalScreenUrl) console.log(`Simulated terminals (play the customer here): ${info.terminalScreenUrl}`);
console.log('Press Ctrl-C to stop.');

if (!values['no-open'] && !process.env.CI) openBrowser(app.host.url);

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
