/**
 * The one IPC contract between the renderer and main.
 *
 * Every call the renderer can make is an entry of `contract` with a zod schema for its input and its
 * output; every event main pushes is an entry of `events`. The preload, main's handlers, the browser
 * host and the renderer's bridge are all derived from these two maps: adding a call is one edit here
 * plus its handler. No channel name is spelled anywhere else.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorDetails } from './errors';
import { SITE_IDS } from './money';
import { ReasonSchema } from './reasons';

// ---------- building blocks ----------

const id = z.string().min(1).max(128);
/** Integer minor units; the renderer never sends floats for money. */
const minor = z.number().int().safe();
const nonNegativeMinor = minor.nonnegative();
const isoDateTime = z.string().min(10).max(40);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD');

export const SiteIdSchema = z.enum(SITE_IDS as [string, ...string[]]) as z.ZodType<
  (typeof SITE_IDS)[number]
>;
export const LocaleSchema = z.enum(['es-AR', 'es-MX', 'pt-BR', 'en']);
export type Locale = z.infer<typeof LocaleSchema>;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
/** What an error may name besides its code (shared/errors.ts says when); dispatch drops anything else. */
export const ErrorDetailsSchema = z
  .object({ till: z.string().trim().min(1).max(80).optional(), server: z.enum(['shop']).optional() })
  .strict() satisfies z.ZodType<ErrorDetails>;

// ---------- app ----------

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Where the app is running: inside Electron, or in a browser through the Node host. */
  shell: z.enum(['electron', 'browser']),
  /** `demo` talks to the built-in simulator; `live` to Mercado Pago with the shop's token. */
  backend: z.enum(['demo', 'live']),
  platform: z.string(),
  /** The simulator's terminal screen (demo mode only): a cashier in training plays the customer there. */
  terminalScreenUrl: z.string().nullable(),
  /**
   * Live, but charging is refused: `missing` (no token yet) or `unreadable` (a token is saved but
   * this computer cannot decrypt it). Never a reason to fall back to the demo.
   */
  tokenProblem: z.enum(['missing', 'unreadable']).nullable().optional(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------- settings ----------

export const SettingsSchema = z.object({
  locale: LocaleSchema.nullable(), // null: follow the system
  site: SiteIdSchema,
  shopName: z.string().max(60),
  shopAddress: z.string().max(120),
  registerId: z.string().min(1).max(32),
  defaultTerminalId: z.string().max(128).nullable(),
  hasToken: z.boolean(),
  /** Refunds up to this amount (minor units) a cashier may give; above it the manager must. 0: every refund. */
  refundThreshold: nonNegativeMinor.default(0),
  /**
   * Seconds between looks at a charge waiting for the customer. Bounded: faster earns 429s from
   * Mercado Pago (reads are limited per resource), slower makes the cashier wait for an approval.
   */
  pollSeconds: z.number().int().min(2).max(10).default(3),
  /** The Mercado Pago account the saved token was checked against (`GET /users/me`); null before one. */
  account: z.lazy(() => AccountSchema).nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    locale: LocaleSchema.nullable(),
    site: SiteIdSchema,
    shopName: z.string().trim().max(60),
    shopAddress: z.string().trim().max(120),
    registerId: z.string().trim().min(1).max(32),
    defaultTerminalId: z.string().max(128).nullable(),
    refundThreshold: nonNegativeMinor.max(100_000_000, 'That refund threshold is too high'),
    pollSeconds: z
      .number()
      .int('Whole seconds only')
      .min(2, 'At least 2 seconds: faster, Mercado Pago refuses the reads')
      .max(10, 'At most 10 seconds: slower, the cashier waits too long for an approval'),
  })
  .partial()
  .strict();

// ---------- manager (issue 12) ----------

/** A Mercado Pago account as `GET /users/me` describes it. */
export const AccountSchema = z.object({
  id: z.string().min(1).max(40),
  nickname: z.string().max(120),
  site: SiteIdSchema,
  email: z.string().max(200).nullable(),
});
export type Account = z.infer<typeof AccountSchema>;

export const ManagerStatusSchema = z.object({
  pinSet: z.boolean(),
  unlocked: z.boolean(),
  unlockedUntil: isoDateTime.nullable(),
  /** Wrong PINs lock attempts out until then. */
  lockedOutUntil: isoDateTime.nullable(),
  failures: z.number().int().min(0),
});
export type ManagerStatus = z.infer<typeof ManagerStatusSchema>;

const pin = z.string().regex(/^\d{4,8}$/, 'The PIN must be 4 to 8 digits');
const accessToken = z.string().trim().regex(/^(APP_USR|TEST)-[\w-]{8,200}$/, 'Not a Mercado Pago access token');

/** What a token belongs to, before it is saved; `switching`: another account than the one saved. */
export const TokenCheckSchema = z.object({ account: AccountSchema, current: AccountSchema.nullable(), switching: z.boolean() });
export type TokenCheck = z.infer<typeof TokenCheckSchema>;

export const HealthCheckSchema = z.object({
  check: z.enum(['token', 'account', 'terminal', 'clock', 'rate_limit']),
  level: z.enum(['green', 'amber', 'red']),
  /** What is wrong, as a code the renderer words together with its fix; null when green. */
  problem: z
    .enum(['token_missing', 'token_rejected', 'unreachable', 'account_mismatch', 'offline', 'standalone', 'clock_skew', 'rate_low', 'rate_unreported', 'unknown'])
    .nullable(),
  terminalId: z.string().nullable(),
  label: z.string().nullable(),
  /** Clock skew in seconds, or requests left in the rate-limit window. */
  value: z.number().nullable(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const ClearStuckSchema = z.object({
  terminalId: id,
  /**
   * `cancelled`: this shop's charge on it was cancelled; `cancelling`: asked, the terminal confirms
   * (Orders API); `nothing`: it held nothing of ours; `foreign`: it holds a charge Caja did not create, left alone.
   */
  outcome: z.enum(['cancelled', 'cancelling', 'nothing', 'foreign']),
  saleId: z.string().nullable(),
  sale: z.lazy(() => SaleViewSchema).nullable(),
});

// ---------- terminals ----------

export const TerminalFamilySchema = z.enum(['orders', 'intents', 'mobile']);
export type TerminalFamily = z.infer<typeof TerminalFamilySchema>;
export const OperatingModeSchema = z.enum(['PDV', 'STANDALONE']);
export type OperatingMode = z.infer<typeof OperatingModeSchema>;

export const TerminalViewSchema = z.object({
  id,
  family: TerminalFamilySchema,
  /** What a person calls it: the device name, or the external POS id. */
  label: z.string(),
  /** null for mobile devices, which have no operating mode. */
  mode: OperatingModeSchema.nullable(),
  status: z.enum(['free', 'busy', 'offline']),
  /** Which sale holds it, when this app knows (busy from this or another register). */
  busyWith: z
    .object({ saleId: z.string().nullable(), register: z.string().nullable() })
    .nullable(),
  /** The registers allowed to charge on it; empty: any register of the shop. */
  allowed: z.array(z.string()),
  /**
   * The shop's terminal board (several tills on one shop server): which till is charging on it right
   * now (`mine`: this till), and whether the board could be read. Absent without a shop server.
   */
  board: z
    .object({
      reachable: z.boolean(),
      claim: z
        .object({ tillId: z.string(), till: z.string(), saleId: z.string(), since: z.number(), mine: z.boolean() })
        .nullable(),
    })
    .nullable()
    .optional(),
  storeId: z.string().nullable(),
  posId: z.string().nullable(),
});
export type TerminalView = z.infer<typeof TerminalViewSchema>;

// ---------- data folder ----------

/** Why a folder cannot hold the journals and catalog (the renderer has the words). */
export const DataFolderProblemSchema = z.enum(['not_absolute', 'same', 'inside_app', 'not_directory', 'holds_journal', 'not_writable', 'not_creatable']);
export type DataFolderProblem = z.infer<typeof DataFolderProblemSchema>;

export const DataFolderStateSchema = z.object({
  /** Where the journals and the catalog are read from in this run. */
  inUse: z.string(),
  /** The app's own folder (settings, sealed token, PIN, log): the default data folder. */
  home: z.string(),
  /** A move chosen by the manager, applied at the next start. */
  pending: z.string().nullable(),
  /** The last move that failed at start (the old folder stayed in use), with why. */
  lastError: z.object({ target: z.string(), detail: z.string(), at: z.number() }).nullable(),
});
export type DataFolderState = z.infer<typeof DataFolderStateSchema>;

// ---------- catalog ----------

export const ProductSchema = z.object({
  id,
  name: z.string().min(1).max(80),
  price: nonNegativeMinor,
  sku: z.string().max(40).nullable(),
  barcode: z.string().max(40).nullable(),
  category: z.string().max(40).nullable(),
  favourite: z.boolean(),
});
export type Product = z.infer<typeof ProductSchema>;

export const ProductInputSchema = ProductSchema.extend({ id: id.optional() }).strict();
export type ProductInput = z.infer<typeof ProductInputSchema>;

/**
 * A column whose every value passes `ok`: one plain loop, where `z.array(z.string().max(80))` runs
 * zod's per-element machinery (measured: ~10× slower than parsing the same rows as objects).
 */
const column = <T>(ok: (v: unknown) => boolean, what: string) =>
  z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), { message: `Expected a column of ${what}` });
const text = (min: number, max: number) => (v: unknown) => typeof v === 'string' && v.length >= min && v.length <= max;
const code = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 40);

/**
 * A slice of the catalog in display order as parallel columns (shared/catalog-search.ts
 * `CatalogColumns`): what the renderer's search copy travels as. Each column is checked for the
 * type and length limits of its values and all for the same count, with no object built per
 * product, so this edge stays cheap at 50,000 rows.
 */
export const CatalogColumnsSchema = z
  .object({
    ids: column<string>(text(1, 128), 'ids'),
    names: column<string>(text(1, 80), 'names of 1 to 80 characters'),
    keys: column<string>(text(0, 160), 'search keys'),
    prices: column<number>((v) => Number.isSafeInteger(v) && (v as number) >= 0, 'whole non-negative amounts'),
    skus: column<string | null>(code, 'SKUs'),
    barcodes: column<string | null>(code, 'barcodes'),
    categories: column<string | null>(code, 'categories'),
    favourites: z.number().int().min(0),
  })
  .refine(
    (c) =>
      [c.names, c.keys, c.prices, c.skus, c.barcodes, c.categories].every((col) => col.length === c.ids.length) &&
      c.favourites <= c.ids.length,
    'Every catalog column must hold one value per product',
  );

/** What one catalog write changed; null when too much did (an import): then the whole copy is refetched. */
export const CatalogChangesSchema = z
  .object({ upserted: z.array(ProductSchema).max(100), deleted: z.array(id).max(100) })
  .nullable();
export type CatalogChanges = z.infer<typeof CatalogChangesSchema>;

/**
 * One problem with one CSV row, as a code and the values its sentence needs (the renderer words it
 * in the manager's language). `value`: the cell as typed, cut to 60 characters; `field`: which
 * column; `line`: the other row involved; `product`/`other`: names of catalog products involved.
 */
export const ImportProblemCodeSchema = z.enum([
  'name_missing',
  'too_long',
  'price_missing',
  'price_negative',
  'price_not_number',
  'price_unreadable',
  'price_whole_only',
  'price_decimals',
  'favourite_not_yes_no',
  'barcode_repeated',
  'sku_repeated',
  'codes_disagree',
  'product_repeated',
]);
export type ImportProblemCode = z.infer<typeof ImportProblemCodeSchema>;
export const ImportProblemSchema = z
  .object({
    code: ImportProblemCodeSchema,
    field: z.enum(['name', 'sku', 'barcode', 'category']).optional(),
    value: z.string().max(64).optional(),
    max: z.number().int().optional(),
    line: z.number().int().optional(),
    sku: z.string().max(64).optional(),
    barcode: z.string().max(64).optional(),
    product: z.string().max(200).optional(),
    other: z.string().max(200).optional(),
    currency: z.string().max(8).optional(),
  })
  .strict();
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportRowSchema = z.object({
  line: z.number().int(),
  product: ProductInputSchema.nullable(),
  errors: z.array(ImportProblemSchema),
});
/**
 * A summary of the whole file plus a sample, never the whole file back: `rows` holds the first
 * rows (whatever their state) and then the first rows with problems; `total`, `valid` and `invalid`
 * count every row; `truncated` says the file has more rows than `rows` shows.
 */
export const ImportPreviewSchema = z.object({
  rows: z.array(ImportRowSchema).max(200),
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  truncated: z.boolean(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/**
 * The largest product file Caja imports, in UTF-8 bytes. The renderer announces it and refuses a
 * bigger file before reading it; main enforces it (a string never has more characters than bytes, so
 * this check is a loose first fence; catalog-store counts the bytes).
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const csvText = z.string().max(MAX_IMPORT_BYTES, { message: 'The file is larger than 20 MiB; split it into smaller files.' });

// ---------- sales ----------

export const SaleStateSchema = z.enum([
  'draft',
  'sending',
  'at_terminal',
  'processing',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'failed',
  'unknown',
  // Closed by a person without evidence either way: the terminal is free, the sale stays in the
  // unfinished list and in reconciliation until Mercado Pago's own records settle it.
  'resolved',
]);
export type SaleState = z.infer<typeof SaleStateSchema>;
// Settled, retryable and attention states: in sale-states.ts, which the renderer reads without zod.
export { ATTENTION_STATES, FINAL_STATES, RETRYABLE_STATES } from './sale-states';

export const CartLineSchema = z
  .object({
    productId: z.string().max(128).nullable(),
    sku: z.string().max(40).nullable(),
    name: z.string().trim().min(1).max(80),
    unitPrice: nonNegativeMinor,
    quantity: z.number().int().min(1).max(9999),
    /** Line discount in minor units, taken off the line total. */
    discount: nonNegativeMinor,
  })
  .strict();
export type CartLine = z.infer<typeof CartLineSchema>;

export const CartSchema = z
  .object({
    lines: z.array(CartLineSchema).max(1000),
    cartDiscount: nonNegativeMinor,
  })
  .strict();
export type Cart = z.infer<typeof CartSchema>;

export const ChargeInputSchema = z
  .object({
    cart: CartSchema,
    terminalId: id,
    /** Set when the cashier retries a failed sale (possibly on another terminal): same sale, new attempt. */
    saleId: id.optional(),
  })
  .strict();
export type ChargeInput = z.infer<typeof ChargeInputSchema>;

export const SaleViewSchema = z.object({
  id,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  state: SaleStateSchema,
  total: minor,
  site: SiteIdSchema,
  currency: z.string(),
  lines: z.array(CartLineSchema),
  cartDiscount: nonNegativeMinor,
  register: z.string(),
  terminalId: z.string().nullable(),
  family: TerminalFamilySchema.nullable(),
  externalReference: z.string().nullable(),
  paymentId: z.string().nullable(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  refundedAmount: nonNegativeMinor,
  /** When the terminal stops waiting for the card (for the cashier's countdown). */
  expiresAt: isoDateTime.nullable(),
  /**
   * Whether Cancel can act now: on a live charge that nothing is being read for yet, or on an
   * `unknown` sale (it then cancels whatever the terminal holds for it, which is itself evidence).
   */
  cancellable: z.boolean(),
  /** Mercado Pago has shown nothing was charged: the same sale may be charged again. */
  retryable: z.boolean(),
  /** A manager may close it by hand ("resolve manually") because no evidence settles it. */
  resolvable: z.boolean(),
  /** The till of the shop that made the sale: set on the shop-wide history only (several tills, one shop server). */
  tillName: z.string().nullable().optional(),
  /** Why the sale is where it is, as a code the renderer words (null on a fresh draft). */
  reason: ReasonSchema.nullable(),
  errorCode: ErrorCodeSchema.nullable(),
});
export type SaleView = z.infer<typeof SaleViewSchema>;

export const TimelineEntrySchema = z.object({
  at: isoDateTime,
  state: SaleStateSchema.nullable(),
  kind: z.string(),
  reason: ReasonSchema,
});
export const RefundViewSchema = z.object({
  id,
  at: isoDateTime,
  amount: minor,
  state: z.enum(['pending', 'approved', 'failed', 'unknown']),
});
export const SaleDetailSchema = SaleViewSchema.extend({
  timeline: z.array(TimelineEntrySchema),
  refunds: z.array(RefundViewSchema),
});
export type SaleDetail = z.infer<typeof SaleDetailSchema>;

export const HistoryFilterSchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    terminalId: z.string().max(128).optional(),
    state: SaleStateSchema.optional(),
    text: z.string().max(80).optional(),
    /** `shop`: every till of the connected shop (from the shop server); `till` (default): this till's journal. */
    scope: z.enum(['till', 'shop']).optional(),
    /** With `scope: 'shop'`, one till of the shop only. */
    tillId: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type HistoryFilter = z.input<typeof HistoryFilterSchema>;

export const ReconcileKindSchema = z.enum([
  'missing_in_journal', // a payment with Caja's reference that no sale knows: paid without a sale
  'missing_in_mercadopago', // an approved sale whose payment Mercado Pago does not show
  'status_mismatch', // e.g. a sale settled as not paid whose payment Mercado Pago shows approved
  'amount_mismatch',
  'unsettled', // a sale still unknown or resolved by hand
]);
export const ReconcileDifferenceSchema = z.object({
  kind: ReconcileKindSchema,
  saleId: z.string().nullable(),
  paymentId: z.string().nullable(),
  /** Minor units; what Mercado Pago shows when it shows a payment, else what the sale asked. */
  amount: minor.nullable(),
  /** The sale's state in the journal, when there is a sale. */
  journalState: SaleStateSchema.nullable(),
  /** The payment's raw status at Mercado Pago, when there is a payment. */
  mercadoPagoStatus: z.string().max(40).nullable(),
  /** Which till of the shop the sale is from (shop-wide reconciliation only). */
  tillName: z.string().nullable().optional(),
});
export type ReconcileDifference = z.infer<typeof ReconcileDifferenceSchema>;
export const ReconcileReportSchema = z.object({
  day,
  checkedAt: isoDateTime,
  journal: z.object({ count: z.number().int(), approvedTotal: minor, refundedTotal: minor }),
  mercadoPago: z.object({ count: z.number().int(), approvedTotal: minor, refundedTotal: minor }),
  differences: z.array(ReconcileDifferenceSchema),
});
export type ReconcileReport = z.infer<typeof ReconcileReportSchema>;

/**
 * What reconciliation (run by itself on start and once a day) puts in front of the cashier until
 * someone acknowledges it: money that moved without a sale, or a sale whose money is not where it
 * should be.
 */
export const AttentionItemSchema = ReconcileDifferenceSchema.extend({
  id,
  day,
  foundAt: isoDateTime,
});
export type AttentionItem = z.infer<typeof AttentionItemSchema>;

// ---------- the shop server (multi-register) ----------

/** Why the shop's PostgreSQL cannot be used (electron/shop/shop-problems.ts); the renderer words each. */
export const ShopProblemSchema = z.enum(['auth', 'unreachable', 'tls', 'no-database', 'schema-newer', 'bad-url', 'unknown']);
export type ShopProblemCode = z.infer<typeof ShopProblemSchema>;

/** This till's link to its shop: never the password. `off`: no shop configured (a single register). */
export const ShopStatusSchema = z.object({
  state: z.enum(['off', 'connecting', 'connected', 'offline']),
  problem: ShopProblemSchema.nullable(),
  shopId: z.string().nullable(),
  shopName: z.string().nullable(),
  tillName: z.string().nullable(),
  /** The connection URL without its password, and its TLS mode. */
  url: z.string().nullable(),
  ssl: z.enum(['disable', 'require', 'verify-full']).nullable(),
  /** Journal events not yet on the server; null when unknown (no shop). */
  pending: z.number().int().nullable(),
  lastSyncAt: isoDateTime.nullable(),
});
export type ShopStatus = z.infer<typeof ShopStatusSchema>;

export const ShopConnectInputSchema = z
  .object({
    /** `postgres://user[:password]@host:port/database[?sslmode=…]`; a password here goes to the vault. */
    url: z.string().min(1).max(2000),
    /** Overrides the URL's password when given. */
    password: z.string().max(500).optional(),
    ssl: z.enum(['disable', 'require', 'verify-full']),
    caCert: z.string().max(20_000).nullable().optional(),
    shopId: z.string().min(1).max(64).regex(/^[\w.-]+$/),
    shopName: z.string().min(1).max(80),
  })
  .strict();

// ---------- the contract ----------

const none = z.undefined();

export const contract = {
  'app.getInfo': { input: none, output: AppInfoSchema },

  'settings.get': { input: none, output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
  /** Write-only: the token goes into main's vault and is never read back. */
  'settings.setToken': {
    // Checked with GET /users/me first; a token of another account than the saved one needs confirmSwitch.
    input: z.object({ token: accessToken, confirmSwitch: z.boolean().optional() }).strict(),
    output: SettingsSchema,
  },

  /** The manager's session (one per app, in main): see electron/roles/. */
  'manager.status': { input: none, output: ManagerStatusSchema },
  /** The first PIN (nobody can be asked), or a new one from an unlocked manager. */
  'manager.setPin': { input: z.object({ pin }).strict(), output: ManagerStatusSchema },
  'manager.unlock': { input: z.object({ pin: z.string().max(16) }).strict(), output: ManagerStatusSchema },
  'manager.lock': { input: none, output: ManagerStatusSchema },
  /** Whose token this is (GET /users/me), without saving it. */
  'account.checkToken': { input: z.object({ token: accessToken }).strict(), output: TokenCheckSchema },
  /** First run on a folder that never had a token: the person chose the demo (recorded). */
  'app.chooseDemo': { input: none, output: AppInfoSchema },
  /** Cancels what a terminal holds for this shop's own sale; never a charge Caja did not create. */
  'terminals.clearStuck': { input: z.object({ terminalId: id }).strict(), output: ClearStuckSchema },
  /** Before the day starts: token, account, each terminal, clock, rate-limit headroom. */
  'terminals.health': { input: none, output: z.array(HealthCheckSchema) },
  /** For support: versions, settings (no secrets), data folder, the last log lines (redacted). */
  'app.diagnostics': { input: none, output: z.object({ text: z.string(), dataDir: z.string() }) },
  'app.dataFolder': { input: none, output: DataFolderStateSchema },
  /** Moves the journals and catalog at the next start (null: forget a pending move); nothing saved when `problem`. */
  'app.setDataFolder': {
    input: z.object({ path: z.string().max(1024).nullable() }).strict(),
    output: z.object({ state: DataFolderStateSchema, problem: DataFolderProblemSchema.nullable() }),
  },
  /** A consistent copy of this account's journal into `backups/` in the data folder. */
  'sales.backup': { input: none, output: z.object({ path: z.string(), bytes: z.number().int() }) },
  /** Phones (mobile API): the account's one-time "enable integrators" step. */
  'terminals.enableIntegrators': { input: none, output: z.object({ enabled: z.literal(true) }) },
  /** Phones (mobile API): removes a phone from the account; answers the list without it. */
  'terminals.removeDevice': { input: z.object({ terminalId: id }).strict(), output: z.array(TerminalViewSchema) },

  'terminals.list': { input: none, output: z.array(TerminalViewSchema) },
  'terminals.setMode': {
    input: z.object({ terminalId: id, mode: OperatingModeSchema }).strict(),
    output: TerminalViewSchema,
  },
  'terminals.assign': {
    // The whole allow-list at once (empty: any register), so the confirmation shows exactly what is saved.
    input: z
      .object({ terminalId: id, registers: z.array(z.string().trim().min(1).max(32)).max(50) })
      .strict()
      .transform((v) => ({ ...v, registers: [...new Set(v.registers)].sort() })),
    output: TerminalViewSchema,
  },
  /** A manager frees a terminal another till holds on the shop's board (that till crashed; its sale ended). */
  'terminals.releaseClaim': { input: z.object({ terminalId: id }).strict(), output: z.array(TerminalViewSchema) },

  /** A Mercado Pago test user to rehearse with (at most 10 per account); the password is shown once. */
  'accounts.createTestUser': {
    input: z.object({ site: SiteIdSchema }).strict(),
    output: z.object({ id: z.string(), nickname: z.string(), password: z.string(), email: z.string().nullable(), site: SiteIdSchema }),
  },

  'catalog.search': {
    input: z.object({ query: z.string().max(80), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.array(ProductSchema),
  },
  /** Exact barcode or SKU match, what a scanner's digits + Enter resolve to. */
  'catalog.lookup': { input: z.object({ code: z.string().trim().min(1).max(40) }).strict(), output: ProductSchema.nullable() },
  'catalog.list': {
    input: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ items: z.array(ProductSchema), total: z.number().int() }),
  },
  /**
   * A slice of every product, for the renderer's own search index: fetched in slices so no single
   * answer blocks the page for long; `version` says which catalog the slice belongs to.
   */
  'catalog.snapshot': {
    input: z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(10_000) }).strict(),
    output: z.object({ version: z.number().int(), total: z.number().int(), columns: CatalogColumnsSchema }),
  },
  'catalog.upsert': { input: ProductInputSchema, output: ProductSchema },
  'catalog.delete': { input: z.object({ id }).strict(), output: z.object({ deleted: z.boolean() }) },
  'catalog.importPreview': { input: z.object({ csv: csvText }).strict(), output: ImportPreviewSchema },
  /** All rows or none: a file with any bad row imports nothing. */
  'catalog.importCommit': { input: z.object({ csv: csvText }).strict(), output: z.object({ imported: z.number().int() }) },

  'checkout.charge': { input: ChargeInputSchema, output: SaleViewSchema },
  'checkout.cancel': { input: z.object({ saleId: id }).strict(), output: SaleViewSchema },
  'checkout.get': { input: z.object({ saleId: id }).strict(), output: SaleViewSchema },
  /** Sales whose last attempt has not settled (after a crash, a lost answer, a dead network). */
  'checkout.unfinished': { input: none, output: z.array(SaleViewSchema) },
  /** Ask Mercado Pago again now about one unsettled sale. */
  'checkout.recheck': { input: z.object({ saleId: id }).strict(), output: SaleViewSchema },
  /**
   * A person closes a sale no evidence settles (state `resolved`): the terminal is freed, the note is
   * journaled with who wrote it, and the sale stays in the unfinished list and in reconciliation.
   */
  'checkout.resolve': {
    input: z.object({ saleId: id, note: z.string().trim().min(3, 'Say why, in a few words').max(200) }).strict(),
    output: SaleViewSchema,
  },
  /** Reconciliation's open findings (see AttentionItemSchema). */
  'attention.list': { input: none, output: z.array(AttentionItemSchema) },
  'attention.acknowledge': { input: z.object({ id }).strict(), output: z.array(AttentionItemSchema) },

  'sales.history': {
    input: HistoryFilterSchema,
    // `tills`: the shop's tills, with the shop-wide scope (for the till filter).
    output: z.object({
      items: z.array(SaleViewSchema),
      total: z.number().int(),
      tills: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    }),
  },
  'sales.detail': { input: z.object({ saleId: id }).strict(), output: SaleDetailSchema },
  'sales.refund': {
    input: z.object({ saleId: id, amount: minor.positive().optional() }).strict(),
    output: SaleDetailSchema,
  },
  'sales.exportCsv': { input: HistoryFilterSchema, output: z.object({ filename: z.string(), csv: z.string() }) },
  'sales.reconcile': {
    input: z.object({ day, scope: z.enum(['till', 'shop']).optional(), tillId: z.string().max(64).optional() }).strict(),
    output: ReconcileReportSchema,
  },

  'shop.status': { input: none, output: ShopStatusSchema },
  /** Tests the connection (and migrates the schema) before saving anything; a failure keeps the previous setup. */
  'shop.connect': {
    input: ShopConnectInputSchema,
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), status: ShopStatusSchema }),
      z.object({ ok: z.literal(false), problem: ShopProblemSchema }),
    ]),
  },
  'shop.disconnect': { input: none, output: ShopStatusSchema },

  /** `locale`: the language the cashier sees now (the setting may be "follow the system", which only the renderer knows). */
  'receipt.render': {
    input: z.object({ saleId: id, locale: LocaleSchema.optional() }).strict(),
    output: z.object({ html: z.string() }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

/** Events main pushes to the renderer. */
export const events = {
  'sale.changed': SaleViewSchema,
  'terminals.changed': z.array(TerminalViewSchema),
  /**
   * The catalog was edited or imported. A renderer whose copy is at `version - 1` applies `changes` in
   * place; any other copy (or `changes: null`, an import) is refetched.
   */
  'catalog.changed': z.object({ version: z.number().int(), changes: CatalogChangesSchema }),
  'attention.changed': z.array(AttentionItemSchema),
  'shop.changed': ShopStatusSchema,
  /**
   * The shop's sales moved on the server (another till's push, or this one's): a "Whole shop" history
   * on screen refetches its page. One event per burst; `notifications` is how many pushes it stands for.
   */
  'shop.salesChanged': z.object({ notifications: z.number().int().positive() }),
} as const satisfies Record<string, z.ZodType>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type EventName = keyof typeof events;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives: the parsed input, defaults applied. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNELS = Object.keys(contract) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/** Electron IPC channel names are prefixed so nothing else on ipcMain can collide with them. */
export const IPC_PREFIX = 'caja:';
export const IPC_EVENT_PREFIX = 'caja-event:';
