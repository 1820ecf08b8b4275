/**
 * `npm run shop-server` (from the repository, through tsx) or `node shop-server.mjs` (the one-file
 * build of `npm run build:shop-server`, scripts/vite-shop-server.config.ts): the shop's webhook
 * receiver (server.ts), next to the shop's PostgreSQL, on a host Mercado Pago can reach (behind the
 * host's TLS proxy: Mercado Pago wants an https URL). Its flags and variables: USAGE below, which
 * `--help` prints, so the built file documents itself where the repository is not at hand.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger';
import { openShopDb, splitConnectionUrl, SSL_MODES, type SslMode } from '../shop/shop-db';
import { ShopDbError } from '../shop/shop-problems';
import { DEFAULT_WEBHOOK_PATH, startShopServer } from './server';
import { publishEndpoint } from './store';

function fail(message: string): never {
  console.error(`shop-server: ${message}`);
  process.exit(2);
}

const USAGE = `Caja shop server: Mercado Pago's webhooks for every till of a shop (docs/multi-register.md).

Usage: shop-server --shop ID --pg-url URL [options]     (env CAJA_WEBHOOK_SECRET required)

  --port N         listen on N (default 8920; env PORT)
  --host H         bind address (default 0.0.0.0)
  --path P         the webhook path (default ${DEFAULT_WEBHOOK_PATH})
  --shop ID        the shop id the tills use (env CAJA_SHOP_ID)
  --public-url U   the https URL Mercado Pago reaches this at (env CAJA_SHOP_PUBLIC_URL): published
                   to the tills, which name it on phone charges (phones have no panel topic)
  --pg-url URL     the shop's PostgreSQL (env CAJA_SHOP_PG_URL); its password from the URL or
                   env CAJA_SHOP_PG_PASSWORD
  --ssl MODE       disable | require | verify-full (default: the URL's sslmode, else disable on
                   loopback and require elsewhere)
  --ca FILE        the CA certificate for --ssl verify-full
  -h, --help       print this and exit

  env CAJA_WEBHOOK_SECRET   the secret from Mercado Pago's panel (never a flag: flags show in \`ps\`).
                            Empty or missing: the server refuses to start.
`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8920' },
      host: { type: 'string', default: '0.0.0.0' },
      path: { type: 'string', default: DEFAULT_WEBHOOK_PATH },
      shop: { type: 'string', default: process.env.CAJA_SHOP_ID ?? '' },
      'pg-url': { type: 'string', default: process.env.CAJA_SHOP_PG_URL ?? '' },
      ssl: { type: 'string' },
      ca: { type: 'string' },
      'public-url': { type: 'string', default: process.env.CAJA_SHOP_PUBLIC_URL ?? '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  fail(`${e instanceof Error ? e.message : String(e)} (--help lists the options)`);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port must be a number from 0 to 65535, not "${values.port}"`);
if (!values.path.startsWith('/')) fail('--path must start with /');
const secret = process.env.CAJA_WEBHOOK_SECRET ?? '';
if (!secret.trim())
  fail("CAJA_WEBHOOK_SECRET is empty: copy the secret from Mercado Pago's panel (Your integrations → Webhooks) into it");
if (!values.shop.trim()) fail('say which shop with --shop ID (or CAJA_SHOP_ID): the id the tills of this shop use');
if (!values['pg-url']) fail('say where PostgreSQL is with --pg-url or CAJA_SHOP_PG_URL');
const publicUrl = values['public-url'].trim();
if (publicUrl && !/^https?:\/\/[^\s]+$/i.test(publicUrl)) fail('--public-url must be an http(s) URL');
if (values.ssl !== undefined && !SSL_MODES.includes(values.ssl as SslMode)) fail(`--ssl must be one of ${SSL_MODES.join(', ')}`);

const log = createLogger({ echo: true });
let conn: ReturnType<typeof splitConnectionUrl>;
try {
  conn = splitConnectionUrl(values['pg-url']);
} catch (e) {
  fail(`--pg-url: ${e instanceof Error ? e.message : String(e)}`);
}
const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(conn.url).hostname);
const ssl = (values.ssl as SslMode | undefined) ?? conn.sslFromUrl ?? (loopback ? 'disable' : 'require');
const caCert = values.ca ? readFileSync(values.ca, 'utf8') : null;

let db;
try {
  db = await openShopDb({ url: conn.url, ssl, caCert }, conn.password ?? process.env.CAJA_SHOP_PG_PASSWORD ?? null, {
    log,
    max: 8,
  });
} catch (e) {
  fail(
    `cannot open the shop database (${e instanceof ShopDbError ? e.problem : 'unknown'}): ${e instanceof Error ? e.message : String(e)}`,
  );
}

const server = await startShopServer({ db, shopId: values.shop.trim(), secret, port, host: values.host, path: values.path, log });
if (publicUrl) await publishEndpoint(db, values.shop.trim(), publicUrl);
console.log(`Caja shop server for shop "${values.shop.trim()}" listening at ${server.url}`);
console.log("Register its public https URL and copy the secret in Mercado Pago's panel (see docs/multi-register.md, 'Webhooks for the whole shop').");

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
