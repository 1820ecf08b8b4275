/**
 * `npm run simulator`: the Point simulator on its own, for trying the API with curl or playing the
 * customer on the terminal page.
 *   --port N        listen on N (default 8910; 0 picks a free port)
 *   --host H        bind address (default 127.0.0.1; loopback addresses only)
 *   --state FILE    load state from FILE at start, save it on every change and on exit
 *   --manual        customer mode "manual": nothing is paid until someone acts on the terminal page
 *   --quiet         do not print one line per request
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost, startSimulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8910' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string' },
    manual: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

if (!isLoopbackHost(values.host)) {
  console.error(`--host must be a loopback address (127.0.0.1, ::1 or localhost), not "${values.host}": the control API /__sim/ has no authentication`);
  process.exit(2);
}

const sim = await startSimulator({
  port,
  host: values.host,
  stateFile: values.state ? resolve(values.state) : undefined,
  timing: values.manual ? { customer: 'manual' } : undefined,
  log: values.quiet ? undefined : (line) => console.log(line),
});

console.log(`Mercado Pago Point simulator listening at ${sim.baseUrl}`);
console.log(`Terminal screen (play the customer here): ${sim.terminalScreenUrl}`);
console.log(`Customer mode: ${values.manual ? 'manual' : 'auto'}${values.state ? `; state file: ${resolve(values.state)}` : ''}`);
console.log('Demo access tokens (test accounts of this simulator only):');
for (const a of sim.accounts) console.log(`  ${a.site}  user ${a.userId}  ${a.nickname.padEnd(12)}  ${a.token}`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the simulator…');
    void sim.close().then(() => {
      console.log('Simulator stopped.');
      process.exit(0);
    });
  });
}
