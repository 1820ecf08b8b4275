/**
 * The accounts every simulator starts with. Tests, the demo mode and the docs rely on these ids and
 * tokens, so change them only together with their users.
 */
import type { SiteId } from './sites';

export interface SeedDevice {
  id: string;
  /** Integrations API device, Orders API terminal, or a phone of the mobile Integration via API. */
  family: 'intents' | 'orders' | 'mobile';
  mode: 'PDV' | 'STANDALONE' | null;
  storeId: string | null;
  posId: string | null;
  externalPosId: string | null;
}

export interface SeedAccount {
  userId: number;
  site: SiteId;
  nickname: string;
  token: string;
  devices: SeedDevice[];
}

const intent = (id: string, n: number, mode: 'PDV' | 'STANDALONE' = 'PDV'): SeedDevice => ({
  id,
  family: 'intents',
  mode,
  storeId: '45601',
  posId: String(1230 + n),
  externalPosId: `CAJA${n}`,
});
const order = (id: string, n: number, mode: 'PDV' | 'STANDALONE' = 'PDV'): SeedDevice => ({
  id,
  family: 'orders',
  mode,
  storeId: '45601',
  posId: String(1240 + n),
  externalPosId: `CAJA-O${n}`,
});
const mobile = (name: string): SeedDevice => ({
  id: name,
  family: 'mobile',
  mode: null,
  storeId: null,
  posId: null,
  externalPosId: null,
});

/** An account with two devices of each family (intents, Orders API terminals, phones), numbered by `n`. */
function siteAccount(userId: number, site: SiteId, n: number, phone: string): SeedAccount {
  const lower = site.toLowerCase();
  return {
    userId,
    site,
    nickname: `TESTCAJA${site}`,
    token: `TEST-${userId}-${lower}-caja-demo-token`,
    devices: [
      intent(`PAX_A910__SMARTPOS${n}234567890`, 1),
      intent(`PAX_A910__SMARTPOS${n}234567891`, 2),
      order(`NEWLAND_N950__N950NCB000000${n - 1}01`, 1),
      order(`NEWLAND_N950__N950NCB000000${n - 1}02`, 2),
      mobile(`${phone}-1`),
      mobile(`${phone}-2`),
    ],
  };
}

export const SEED_ACCOUNTS: readonly SeedAccount[] = [
  {
    userId: 100001,
    site: 'MLA',
    nickname: 'TESTCAJAMLA',
    token: 'TEST-100001-mla-caja-demo-token',
    devices: [
      intent('PAX_A910__SMARTPOS1234567890', 1),
      intent('PAX_A910__SMARTPOS1234567891', 2),
      intent('PAX_A910__SMARTPOS1234567892', 3, 'STANDALONE'),
      order('NEWLAND_N950__N950NCB000000001', 1),
      order('NEWLAND_N950__N950NCB000000002', 2),
      // The standard virtual terminal of Mercado Pago's Orders API docs (used with
      // POST /v1/orders/{id}/events), on its own POS so it may be in PDV beside the other two.
      order('NEWLAND_N950__SBX0000001', 9),
      mobile('caja-1'),
      mobile('caja-2'),
    ],
  },
  {
    userId: 100002,
    site: 'MLB',
    nickname: 'TESTCAJAMLB',
    token: 'TEST-100002-mlb-caja-demo-token',
    devices: [
      intent('PAX_A910__SMARTPOS2234567890', 1),
      order('NEWLAND_N950__N950NCB000000101', 1),
      mobile('caixa-1'),
    ],
  },
  {
    userId: 100003,
    site: 'MLM',
    nickname: 'TESTCAJAMLM',
    token: 'TEST-100003-mlm-caja-demo-token',
    devices: [
      intent('PAX_A910__SMARTPOS3234567890', 1),
      order('NEWLAND_N950__N950NCB000000201', 1),
      mobile('caja-mx-1'),
    ],
  },
  // The other sites Settings offers. Mercado Pago documents Point amount limits for MLA, MLB and MLM
  // only; sites.ts says what these accounts assume instead.
  siteAccount(100004, 'MLC', 4, 'caja-cl'),
  siteAccount(100005, 'MCO', 5, 'caja-co'),
  siteAccount(100006, 'MPE', 6, 'caja-pe'),
  siteAccount(100007, 'MLU', 7, 'caja-uy'),
];

/** The account demo mode signs in with. */
export const DEMO_ACCOUNT = SEED_ACCOUNTS[0]!;
