/**
 * The client's money table (`shared/money.ts`) against the simulator, over HTTP. The simulator keeps
 * its own sourced table (sites.ts) and never imports the client's, so the only way the two can agree
 * is by being checked: for every site and every API family this charges the client's min − 1, min,
 * max and max + 1 (in minor units, written in the family's own wire format with the client's
 * decimals) and expects the simulator to accept exactly the client's in-range amounts. A client limit
 * or decimal count that drifts turns this red; the second test proves it does by drifting a copy.
 *
 * (Test files may import both sides; the simulator's code never imports the client.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_AMOUNT_LIMITS_HUNDREDTHS, SITE_IDS, SITES, type SiteId } from '../../shared/money';
import { SEED_ACCOUNTS, type SeedAccount } from './seed';
import { apiClient, INSTANT, newKey, openKit, type Kit } from './test-kit';

type Family = 'intents' | 'orders' | 'mobile';
const FAMILIES: Family[] = ['intents', 'orders', 'mobile'];

interface ClientTable {
  decimals: Record<SiteId, number>;
  limitsHundredths: Record<SiteId, { min: number; max: number }>;
}

const CLIENT: ClientTable = {
  decimals: Object.fromEntries(SITE_IDS.map((s) => [s, SITES[s].decimals])) as Record<SiteId, number>,
  limitsHundredths: SITE_AMOUNT_LIMITS_HUNDREDTHS,
};

/** The wire format of each family, built from the client's idea of the currency's decimals. */
function body(family: Family, minor: number, decimals: number, device: string, ref: string): unknown {
  const whole = Math.floor(minor / 10 ** decimals);
  const frac = String(minor % 10 ** decimals).padStart(decimals, '0');
  const decimal = decimals === 0 ? String(minor) : `${whole}.${frac}`;
  switch (family) {
    case 'intents': // integer hundredths
      return { amount: minor * 10 ** (2 - decimals), additional_info: { external_reference: ref } };
    case 'orders': // decimal string with the currency's decimals
      return { type: 'point', external_reference: ref, transactions: { payments: [{ amount: decimal }] }, config: { point: { terminal_id: device } } };
    case 'mobile': // decimal number
      return { amount: Number(decimal), description: 'limit probe', device_name: device, cc_type: 'debit_card', external_reference: ref };
  }
}

const PATH: Record<Family, (device: string) => string> = {
  intents: (d) => `/point/integration-api/devices/${d}/payment-intents`,
  orders: () => '/v1/orders',
  mobile: () => '/point/services/integrations/v1',
};

function deviceOf(account: SeedAccount, family: Family): string {
  const d = account.devices.find((x) => x.family === family && x.mode !== 'STANDALONE');
  if (!d) throw new Error(`seed account ${account.site} has no ${family} device`);
  return d.id;
}

interface Disagreement {
  site: SiteId;
  family: Family;
  minor: number;
  clientSays: 'accept' | 'refuse';
  simulator: number;
}

/**
 * Charges each boundary of `table` and lists where the simulator disagrees. Every accepted charge is
 * followed by a reset, so a terminal left busy by one probe (a declined card the customer may retry,
 * an in-process payment) never turns the next probe into a 409.
 */
async function disagreements(k: Kit, table: ClientTable): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const site of SITE_IDS) {
    const account = SEED_ACCOUNTS.find((a) => a.site === site);
    if (!account) throw new Error(`the simulator has no seed account for site ${site}`);
    const call = apiClient(k.sim.baseUrl, account.token);
    const decimals = table.decimals[site];
    const unit = 10 ** (2 - decimals);
    const min = Math.ceil(table.limitsHundredths[site].min / unit);
    const max = Math.floor(table.limitsHundredths[site].max / unit);
    for (const family of FAMILIES) {
      const device = deviceOf(account, family);
      for (const [minor, clientSays] of [
        [min - 1, 'refuse'],
        [min, 'accept'],
        [max, 'accept'],
        [max + 1, 'refuse'],
      ] as const) {
        const ref = `limit-${site}-${family}-${minor}`;
        const answer = await call('POST', PATH[family](device), body(family, minor, decimals, device, ref), { 'x-idempotency-key': newKey() });
        const accepted = answer.status === 200 || answer.status === 201;
        // A refusal must be the amount's 400, not some other complaint about the probe itself.
        const refusedForAmount = answer.status === 400 && JSON.stringify(answer.body).includes('amount');
        if (accepted) await k.control.reset();
        if ((clientSays === 'accept' && !accepted) || (clientSays === 'refuse' && !refusedForAmount)) {
          found.push({ site, family, minor, clientSays, simulator: answer.status });
        }
      }
    }
  }
  return found;
}

describe("the client's amount table agrees with the simulator's (over HTTP)", () => {
  let k: Kit;
  beforeAll(async () => {
    k = await openKit({ timing: INSTANT });
  });
  afterAll(() => k.close());

  it('accepts exactly the amounts shared/money.ts calls chargeable, for every site and family', async () => {
    expect(await disagreements(k, CLIENT)).toEqual([]);
  }, 60_000);

  it('turns red when a client limit or a decimal count drifts', async () => {
    const drifted: ClientTable = {
      decimals: { ...CLIENT.decimals, MCO: 2 }, // COP with cents, as ISO 4217 (not Mercado Pago) has it
      limitsHundredths: {
        ...CLIENT.limitsHundredths,
        MLB: { ...CLIENT.limitsHundredths.MLB, max: CLIENT.limitsHundredths.MLB.max + 100 }, // one real too many
        MLM: { ...CLIENT.limitsHundredths.MLM, min: CLIENT.limitsHundredths.MLM.min + 100 }, // one peso too strict
      },
    };
    const found = await disagreements(k, drifted);
    const where = new Set(found.map((d) => `${d.site}/${d.family}/${d.clientSays}`));
    for (const family of FAMILIES) {
      expect(where).toContain(`MLB/${family}/accept`); // the drifted max is refused by the simulator
      expect(where).toContain(`MLM/${family}/refuse`); // the real min − 1 is accepted by the simulator
    }
    expect(where).toContain('MCO/orders/accept'); // "1.00" is not a COP amount for Mercado Pago
    expect(found.every((d) => ['MLB', 'MLM', 'MCO'].includes(d.site))).toBe(true);
  }, 60_000);
});
