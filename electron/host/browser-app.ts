/** Services plus the browser host: the whole app minus Electron, as the CLI and the e2e specs start it. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logger';
import { createServices, type Services, type ServicesOptions } from '../services';
import { createFileKeySecretBox } from '../settings/token-vault';
import type { Timing } from '../simulator/control-api';
import { startHost, type Host } from './server';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface BrowserAppOptions {
  dataDir: string;
  port?: number;
  forceDemo?: boolean;
  firstRunDemo?: boolean;
  /** Where the token's key file lives (outside the data folder); tests give each run its own. */
  keysDir?: string;
  simulatorTiming?: Timing;
  externalSimulator?: ServicesOptions['externalSimulator'];
  /** Where a live till talks to Mercado Pago (specs point it at the simulator). */
  liveBaseUrl?: string;
  /** The manager session's clock and lock-outs (specs move the clock instead of waiting). */
  manager?: ServicesOptions['manager'];
  rendererDir?: string;
  logFile?: string;
  echoLog?: boolean;
}

export interface BrowserApp {
  host: Host;
  services: Services;
  close(): Promise<void>;
}

export async function startBrowserApp(options: BrowserAppOptions): Promise<BrowserApp> {
  const log = createLogger({ file: options.logFile ?? join(options.dataDir, 'caja.log'), echo: options.echoLog ?? false });
  const services = await createServices({
    dataDir: options.dataDir,
    shell: 'browser',
    version: appVersion(),
    platform: process.platform,
    secretBox: createFileKeySecretBox(options.dataDir, options.keysDir),
    log,
    forceDemo: options.forceDemo,
    firstRunDemo: options.firstRunDemo,
    simulatorTiming: options.simulatorTiming,
    externalSimulator: options.externalSimulator,
    liveBaseUrl: options.liveBaseUrl,
    manager: options.manager,
  });
  let host: Host;
  try {
    host = await startHost({
      services,
      rendererDir: options.rendererDir ?? join(projectRoot, 'dist', 'renderer'),
      port: options.port,
      log,
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  return {
    host,
    services,
    async close() {
      await host.close();
      await services.close();
    },
  };
}
