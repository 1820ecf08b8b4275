/**
 * 200 parallel clients on loopback: nothing is lost, and no terminal ever holds two charges.
 * Assertions read the simulator's own records (/__sim/payments, /__sim/requests, /__sim/terminals).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_ACCOUNTS, type SeedAccount, type SeedDevice } from './seed';
import { decimalsOf, minorToDecimalString } from './sites';
import { apiClient, INSTANT, openKit, type Answer, type Kit } from './test-kit';

const CLIENTS = 200;

interface Target {
  account: SeedAccount;
  device: SeedDevice;
}

const TARGETS: Target[] = SEED_ACCOUNTS.flatMap((account) =>
  account.devices.filter((d) => d.mode !== 'STANDALONE').map((device) => ({ account, device })),
);

/** Whole currency units that land on "approved" in every site (tail 00). */
function createCharge(k: Kit, t: Target, key: string): Promise<Answer> {
  const call = apiClient(k.sim.baseUrl, t.account.token);
  const headers = { 'x-idempotency-key': key };
  switch (t.device.family) {
    case 'intents':
      return call('POST', `/point/integration-api/devices/${t.device.id}/payment-intents`, { amount: 1500, additional_info: { external_reference: key } }, headers);
    case 'orders':
      return call(
        'POST',
        '/v1/orders',
        {
          type: 'point',
          external_reference: key,
          transactions: { payments: [{ amount: minorToDecimalString(15 * 10 ** decimalsOf(t.account.site), t.account.site) }] },
          config: { point: { terminal_id: t.device.id } },
        },
        headers,
      );
    case 'mobile':
      return call('POST', '/point/services/integrations/v1', { amount: 15, description: 'x', device_name: t.device.id, cc_type: 'debit_card', external_reference: key }, headers);
  }
}

function readCharge(k: Kit, t: Target, id: string | number): Promise<Answer> {
  const call = apiClient(k.sim.baseUrl, t.account.token);
  switch (t.device.family) {
    case 'intents':
      return call('GET', `/point/integration-api/payment-intents/${id}`);
    case 'orders':
      return call('GET', `/v1/orders/${id}`);
    case 'mobile':
      return call('GET', `/point/services/integrations/v1/${id}`);
  }
}

describe(`${CLIENTS} parallel clients`, () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: { ...INSTANT, customer: 'manual' } });
  });
  afterEach(() => k.close());

  it('let exactly one charge onto each terminal; every other create is a 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => {
        const t = TARGETS[i % TARGETS.length]!;
        return createCharge(k, t, `hold-${i}`).then((a) => ({ t, a, key: `hold-${i}` }));
      }),
    );
    const won = answers.filter((x) => x.a.status === 201 || x.a.status === 200);
    expect(answers.every((x) => [200, 201, 409].includes(x.a.status))).toBe(true);
    expect(won).toHaveLength(TARGETS.length);
    expect(new Set(won.map((x) => x.t.device.id)).size).toBe(TARGETS.length);

    const terminals = await k.control.terminals();
    for (const w of won) {
      const held = terminals.find((t) => t.id === w.t.device.id)!;
      expect(held.charge?.id).toBe(String(w.a.body.id));
    }
    // The log holds every request, each with the status its client saw.
    const log = await k.control.requests();
    expect(log).toHaveLength(CLIENTS);
    const byKey = new Map(log.map((r) => [r.idempotencyKey, r.status]));
    for (const x of answers) expect(byKey.get(x.key)).toBe(x.a.status);

    for (const w of won) await k.control.customer(w.t.device.id, 'approve');
    const payments = await k.control.payments();
    expect(payments).toHaveLength(TARGETS.length);
    expect(new Set(payments.map((p) => p.terminalId)).size).toBe(TARGETS.length);
  });

  it('create and read in parallel without losing a charge or a payment', async () => {
    await k.control.timing({ customer: 'auto' }); // instant: each charge finishes inside its create
    const ROUNDS = 3;
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const t = TARGETS[i % TARGETS.length]!;
        const mine: { id: string; read: Answer }[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const key = `run-${i}-${r}`;
          const created = await createCharge(k, t, key);
          expect([200, 201], JSON.stringify(created.body)).toContain(created.status);
          mine.push({ id: String(created.body.id), read: await readCharge(k, t, created.body.id) });
        }
        return mine;
      }),
    );
    const charges = results.flat();
    expect(charges).toHaveLength(CLIENTS * ROUNDS);
    expect(new Set(charges.map((c) => c.id)).size).toBe(CLIENTS * ROUNDS);
    for (const c of charges) expect(c.read.status).toBe(200);

    const payments = await k.control.payments();
    expect(payments).toHaveLength(CLIENTS * ROUNDS);
    expect(new Set(payments.map((p) => p.chargeId))).toEqual(new Set(charges.map((c) => c.id)));
    expect(payments.every((p) => p.status === 'approved')).toBe(true);

    const log = await k.control.requests();
    expect(log).toHaveLength(CLIENTS * ROUNDS * 2);
    expect(log.every((r) => r.status === 200 || r.status === 201)).toBe(true);
  });
});
