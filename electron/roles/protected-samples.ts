/**
 * One valid input for every channel a manager may be needed for, so the sweeps that prove a cashier
 * is refused each one (roles.test.ts through dispatch, e2e/manager.spec.ts over the page's socket)
 * walk the list `protectedChannels` derives from access.ts, not a hand-picked one. A new protected
 * channel without a sample here fails both sweeps until someone adds it.
 */
import type { Channel } from '../../shared/contract';

const TERMINAL = 'PAX_A910__SMARTPOS1234567890';

export function protectedSamples(sale: { id: string }): Partial<Record<Channel, unknown>> {
  return {
    'app.chooseDemo': undefined,
    'settings.update': { shopName: 'Otro nombre' },
    'settings.setToken': { token: 'TEST-100001-mla-caja-demo-token' },
    'account.checkToken': { token: 'TEST-100001-mla-caja-demo-token' },
    'terminals.setMode': { terminalId: 'PAX_A910__SMARTPOS1234567892', mode: 'PDV' },
    'terminals.assign': { terminalId: TERMINAL, registers: ['CAJA2'] },
    'terminals.clearStuck': { terminalId: TERMINAL },
    'terminals.releaseClaim': { terminalId: TERMINAL },
    'terminals.health': undefined,
    'terminals.enableIntegrators': undefined,
    'terminals.removeDevice': { terminalId: 'caja-2' },
    'app.diagnostics': undefined,
    'app.dataFolder': undefined,
    'app.setDataFolder': { path: '/tmp/caja-hijacked-data' },
    'sales.backup': undefined,
    'accounts.createTestUser': { site: 'MLA' },
    'catalog.importCommit': { csv: 'name,price\nYerba,2500' },
    'checkout.resolve': { saleId: sale.id, note: 'paid cash' },
    'attention.acknowledge': { id: 'any' },
    'sales.refund': { saleId: sale.id, amount: 100 },
    'shop.connect': { url: 'postgres://caja@127.0.0.1:1/shop', ssl: 'disable', shopId: 'hijack', shopName: 'Hijacked' },
    'shop.disconnect': undefined,
  };
}
