/**
 * Simulator throughput and latency: create + read of payment intents at 1, 16 and 128 concurrent
 * clients, each figure beside a bare Node `http` server answering a tiny JSON in the same run (the
 * floor on this machine; compare the ratio, not the absolute numbers). Faults off, read limit off,
 * instant terminals so a device is free again as soon as its create answers. Prints only.
 *   npx tsx scripts/bench/simulator.ts
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SimControl, startSimulator } from '../../electron/simulator';
import { SEED_ACCOUNTS } from '../../electron/simulator/seed';

const LEVELS = [1, 16, 128];
const RUN_MS = 1500;
const WARMUP_MS = 300;
const BUDGET_P99_MS = 20;

interface Stats {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One keep-alive request; resolves with the status and parsed body. */
function call(agent: Agent, base: URL, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

type Op = (agent: Agent, client: number) => Promise<number[]>;

/** Runs `clients` loops of `op` for RUN_MS after a warm-up; latencies are per HTTP request. */
async function measure(clients: number, op: Op): Promise<Stats> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  let recording = false;
  let stop = false;
  const loops = Array.from({ length: clients }, async (_, c) => {
    while (!stop) {
      try {
        const l = await op(agent, c);
        if (recording) latencies.push(...l);
      } catch {
        errors++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  recording = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, RUN_MS));
  recording = false;
  const elapsed = performance.now() - started;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
  return { rps: (latencies.length / elapsed) * 1000, p50: pct(50), p99: pct(99), errors };
}

async function timed(fn: () => Promise<{ status: number; body: unknown }>, ok: (s: number) => boolean): Promise<[number, { status: number; body: unknown }]> {
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  if (!ok(r.status)) throw new Error(`unexpected status ${r.status}: ${JSON.stringify(r.body)}`);
  return [ms, r];
}

/** The servers under test run in a worker thread, so the load generator does not share their event loop. */
type Role = 'simulator' | 'bare';

async function serveInWorker(role: Role): Promise<string> {
  if (role === 'simulator') {
    const sim = await startSimulator({ port: 0, timing: { toTerminalMs: 0, customerMs: 0, processingMs: 0, customer: 'auto' } });
    return sim.baseUrl;
  }
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const text = req.method === 'POST' ? '{"id":"bare","amount":1500}' : '{"id":"bare","state":"FINISHED"}';
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startWorker(role: Role): Promise<{ url: string; stop: () => Promise<number> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { benchRole: role } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: string) => resolve(m));
    worker.once('error', reject);
  });
  return { url, stop: () => worker.terminate() };
}

if (!isMainThread && (workerData as { benchRole?: Role } | null)?.benchRole) {
  const url = await serveInWorker((workerData as { benchRole: Role }).benchRole);
  parentPort!.postMessage(url);
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export async function benchSimulator(): Promise<void> {
  const sim = await startWorker('simulator');
  const bare = await startWorker('bare');
  const control = new SimControl(sim.url);
  const simBase = new URL(sim.url);
  const bareBase = new URL(bare.url);
  // Every PDV intents device of every account, round-robin per client.
  const targets = SEED_ACCOUNTS.flatMap((a) => a.devices.filter((d) => d.family === 'intents' && d.mode === 'PDV').map((d) => ({ token: a.token, device: d.id })));

  const simOp: Op = async (agent, c) => {
    const t = targets[c % targets.length]!;
    const [createMs, created] = await timed(
      () => call(agent, simBase, 'POST', `/point/integration-api/devices/${t.device}/payment-intents`, t.token, { amount: 1500, description: 'bench' }),
      (s) => s === 201,
    );
    const id = (created.body as { id: string }).id;
    const [readMs] = await timed(() => call(agent, simBase, 'GET', `/point/integration-api/payment-intents/${id}`, t.token), (s) => s === 200);
    return [createMs, readMs];
  };
  const bareOp: Op = async (agent) => {
    const [a] = await timed(() => call(agent, bareBase, 'POST', '/create', null, { amount: 1500, description: 'bench' }), (s) => s === 201);
    const [b] = await timed(() => call(agent, bareBase, 'GET', '/read', null), (s) => s === 200);
    return [a, b];
  };

  const rows: string[][] = [];
  let p99At128 = NaN;
  try {
    for (const clients of LEVELS) {
      await control.reset();
      await control.timing({ toTerminalMs: 0, customerMs: 0, processingMs: 0, customer: 'auto' });
      await control.faults({ readsPerSecond: null });
      const s = await measure(clients, simOp);
      const b = await measure(clients, bareOp);
      if (clients === 128) p99At128 = s.p99;
      rows.push([
        String(clients),
        `${fmt(s.rps, 0)} / ${fmt(b.rps, 0)}`,
        fmt(b.rps / s.rps, 2),
        `${fmt(s.p50, 2)} / ${fmt(b.p50, 2)}`,
        `${fmt(s.p99, 2)} / ${fmt(b.p99, 2)}`,
        fmt(s.p99 / b.p99, 2),
        String(s.errors + b.errors),
      ]);
    }
  } finally {
    await sim.stop();
    await bare.stop();
  }

  const head = ['clients', 'req/s sim / bare', 'bare÷sim', 'p50 ms sim / bare', 'p99 ms sim / bare', 'p99 sim÷bare', 'errors'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log('Simulator: payment intent create + read (each request timed), faults off, read limit off, instant terminals');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`Budget: p99 < ${BUDGET_P99_MS} ms at 128 clients — measured ${fmt(p99At128, 2)} ms (${p99At128 < BUDGET_P99_MS ? 'within' : 'over'} budget; servers in a worker thread, load from the main thread)`);
}

// Workers see the same argv as the main thread: only the main thread may start the benchmark.
if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchSimulator();
}
