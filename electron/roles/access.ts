/**
 * Who may call each channel. Every channel of the contract has an entry (the mapped type makes a
 * new channel a compile error until someone decides), and `guardHandlers` wraps every handler with
 * its rule, so both pipes — Electron's IPC and the browser host — and anything else that calls
 * `services.handlers` meet the same gate. Hiding a button is the renderer's courtesy; this is the rule.
 */
import type { Channel, ParsedInput } from '../../shared/contract';
import type { Handlers } from '../dispatch';
import type { ManagerSession } from './manager-session';

/** `anyone`, or a manager (always, or when `when` says so for this input), named for the message. */
export type Rule<C extends Channel> = 'anyone' | { manager: string; when?: (input: ParsedInput<C>) => boolean };
export type AccessRules = { [C in Channel]: Rule<C> };

export interface AccessFacts {
  /** Whether refunding `amount` (the whole remainder when undefined) of this sale is above the threshold. */
  refundAboveThreshold(saleId: string, amount: number | undefined): boolean;
  pinSet(): boolean;
}

/** What a cashier may change in Settings without a manager: their language and chosen terminal. */
const CASHIER_SETTINGS = new Set(['locale', 'defaultTerminalId']);

export function accessRules(facts: AccessFacts): AccessRules {
  return {
    'app.getInfo': 'anyone',
    'app.chooseDemo': { manager: 'Choosing the demo', when: () => facts.pinSet() },
    'settings.get': 'anyone',
    'settings.update': { manager: 'Changing the settings', when: (patch) => Object.keys(patch).some((k) => !CASHIER_SETTINGS.has(k)) },
    'settings.setToken': { manager: 'Changing the Mercado Pago token' },
    'manager.status': 'anyone',
    'manager.setPin': 'anyone', // the session itself asks for the manager when a PIN exists
    'manager.unlock': 'anyone',
    'manager.lock': 'anyone',
    'account.checkToken': { manager: 'Checking a Mercado Pago token', when: () => facts.pinSet() }, // first run: before any PIN
    'terminals.list': 'anyone',
    'terminals.setMode': { manager: "Changing a terminal's mode" },
    'terminals.assign': { manager: 'Assigning terminals' },
    'terminals.releaseClaim': { manager: "Releasing another till's claim on a terminal" },
    'terminals.clearStuck': { manager: 'Clearing a stuck terminal' },
    'terminals.health': { manager: 'The health check' },
    'app.diagnostics': { manager: 'Copying diagnostics' },
    'app.dataFolder': { manager: 'Seeing the data folder' },
    'app.setDataFolder': { manager: 'Moving the data folder' },
    'sales.backup': { manager: 'Backing up the journal' },
    'terminals.enableIntegrators': { manager: 'Enabling integrations for phones' },
    'terminals.removeDevice': { manager: 'Removing a phone' },
    'accounts.createTestUser': { manager: 'Creating test users' },
    'catalog.search': 'anyone',
    'catalog.lookup': 'anyone',
    'catalog.list': 'anyone',
    'catalog.snapshot': 'anyone',
    'catalog.upsert': 'anyone',
    'catalog.delete': 'anyone',
    'catalog.importPreview': 'anyone',
    'catalog.importCommit': { manager: 'Importing the catalog' },
    'checkout.charge': 'anyone',
    'checkout.cancel': 'anyone',
    'checkout.get': 'anyone',
    'checkout.unfinished': 'anyone',
    'checkout.recheck': 'anyone',
    'checkout.resolve': { manager: 'Resolving a sale by hand' },
    'attention.list': 'anyone',
    'attention.acknowledge': { manager: 'Acknowledging a reconciliation finding' },
    'sales.history': 'anyone',
    'sales.detail': 'anyone',
    'sales.refund': {
      manager: 'A refund above the threshold',
      when: ({ saleId, amount }) => facts.refundAboveThreshold(saleId, amount),
    },
    'sales.exportCsv': 'anyone',
    'sales.reconcile': 'anyone',
    'receipt.render': 'anyone',
    'shop.status': 'anyone',
    'shop.connect': { manager: 'Connecting the shop server' },
    'shop.disconnect': { manager: 'Disconnecting the shop server' },
  };
}

/** The channels a manager is needed for (always or sometimes): what tests sweep through. */
export function protectedChannels(rules: AccessRules): Channel[] {
  return (Object.keys(rules) as Channel[]).filter((c) => rules[c] !== 'anyone');
}

export function guardHandlers(handlers: Handlers, rules: AccessRules, session: ManagerSession): Handlers {
  const guarded = {} as Record<Channel, (input: unknown) => unknown>;
  for (const channel of Object.keys(handlers) as Channel[]) {
    const rule = rules[channel] as Rule<Channel>;
    const handler = handlers[channel] as (input: unknown) => unknown;
    guarded[channel] =
      rule === 'anyone'
        ? handler
        : async (input) => {
            if (!rule.when || rule.when(input as never)) session.require(rule.manager);
            return handler(input);
          };
  }
  return guarded as unknown as Handlers;
}
