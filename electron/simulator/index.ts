/**
 * A faithful Mercado Pago Point server on loopback: the three API families (payment intents, mobile
 * Integration via API, Orders API), `/v1/payments`, test users, terminals that behave like terminals,
 * fault injection and inspection under `/__sim/`. Demo mode and every test run against it.
 * See docs/simulator.md.
 */
import type { AddressInfo } from 'node:net';
import type { Timing } from './control-api';
import { SimClock } from './clock';
import type { SimCore } from './core';
import { Faults } from './faults';
import { armAbandonAll, intentAdapter, intentRoutes } from './intents';
import { armMobileExpiryAll, mobileAdapter, mobilePaymentHook, mobileRoutes } from './mobile';
import { armExpiryAll, orderAdapter, orderPaymentHook, orderRoutes } from './orders';
import { paymentRoutes, rearmPayments } from './payments';
import { StateFile } from './persistence';
import { Recorder } from './recorder';
import { Router } from './router';
import { SEED_ACCOUNTS, type SeedAccount } from './seed';
import { createSimServer } from './server';
import { DEFAULT_TIMING, deserializeState, seededState, serializeState } from './state';
import { TerminalMachine } from './terminal-machine';
import { Webhooks } from './webhooks';

export { SimControl } from './sim-control';
export { outcomeForAmount } from './outcomes';
export { DEFAULT_TIMING } from './state';

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. Loopback only (127.x.x.x, ::1, localhost): anything else is refused. */
  host?: string;
  /** Merged over the defaults (toTerminalMs 300, customerMs 1200, processingMs 800, customer auto). */
  timing?: Timing;
  /** Load state from this JSON file at start and save it after every change and on close. */
  stateFile?: string;
  /** One line per API request and problem; tokens never appear in it. */
  log?: (line: string) => void;
}

export interface Simulator {
  baseUrl: string;
  accounts: readonly SeedAccount[];
  /** The terminal screen page for people (`/__sim/screen`). */
  terminalScreenUrl: string;
  close(): Promise<void>;
}

/**
 * Loopback only: the control API (`/__sim/`) needs no token and can reset, fault or script any
 * account, so it must never be reachable from another machine.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h.replace(/^::ffff:/, ''));
  return v4 !== null && v4.slice(1).every((n) => Number(n) <= 255);
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `The simulator listens on loopback only (127.0.0.1, ::1 or localhost), not "${host}": its control API /__sim/ has no authentication.`,
    );
  }
  const log = options.log ?? (() => undefined);
  const startTiming = { ...DEFAULT_TIMING, ...(options.timing ?? {}) };
  const clock = new SimClock((error) => log(`simulator: timer failed: ${(error as Error).stack ?? String(error)}`));
  const faults = new Faults();
  const recorder = new Recorder();

  let stateFile: StateFile | null = null;
  const core: SimCore = {
    state: seededState(),
    clock,
    timing: startTiming,
    faults,
    machine: null as unknown as TerminalMachine,
    changed: () => stateFile?.changed(),
    log,
    paymentHooks: [],
    webhooks: new Webhooks(clock, log),
  };
  core.machine = new TerminalMachine(core);
  core.machine.adapters.intents = intentAdapter(core);
  core.machine.adapters.mobile = mobileAdapter(core);
  core.machine.adapters.orders = orderAdapter(core);
  core.paymentHooks.push(orderPaymentHook(core), mobilePaymentHook(core));

  if (options.stateFile) {
    stateFile = new StateFile(options.stateFile, () => serializeState(core.state, core.timing), log);
    const text = stateFile.read();
    if (text !== null) {
      try {
        const loaded = deserializeState(text);
        core.state = loaded.state;
        // Explicit options win over what the file remembers.
        core.timing = { ...loaded.timing, ...(options.timing ?? {}) };
        core.machine.resumeAll();
        rearmPayments(core);
        armExpiryAll(core);
        armAbandonAll(core);
        armMobileExpiryAll(core);
        log(`simulator: state loaded from ${options.stateFile}`);
      } catch (error) {
        log(`simulator: ignoring unreadable state file ${options.stateFile}: ${(error as Error).message}`);
      }
    }
  }

  const reset = () => {
    core.machine.forget();
    core.webhooks.clear();
    clock.reset();
    faults.clear();
    recorder.clear();
    core.state = seededState();
    core.timing = { ...startTiming };
    core.changed();
  };

  const router = new Router().add(...intentRoutes, ...mobileRoutes, ...orderRoutes, ...paymentRoutes);
  const server = createSimServer({ core, router, recorder, reset });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | null = null;
  return {
    baseUrl,
    accounts: SEED_ACCOUNTS,
    terminalScreenUrl: `${baseUrl}/__sim/screen`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        stateFile?.flush();
        core.machine.forget();
        core.webhooks.clear();
        clock.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
