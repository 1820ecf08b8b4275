/**
 * `npm run bench`: every performance figure the issues budget, each printed beside a floor measured
 * in the same run on the same machine (these machines are noisy; the ratio is what to compare).
 * Prints only: timings never decide pass or fail.
 */
import { benchCatalog } from './bench/catalog';
import { benchEngine } from './bench/engine';
import { benchManager } from './bench/manager';
import { benchSimulator } from './bench/simulator';
import { benchUi } from './bench/ui';
import { benchShopCatalog } from './bench/shop-catalog';
import { benchShopWebhooks } from './bench/shop-webhooks';
import { benchShopBoard } from './bench/shop-board';
import { benchShopSync } from './bench/shop-sync';
import { benchShopHistory } from './bench/shop-history';

const only = process.argv.slice(2);
const suites: [string, () => Promise<void>][] = [
  ['simulator', benchSimulator],
  ['engine', benchEngine],
  ['catalog', benchCatalog],
  ['ui', benchUi],
  ['manager', benchManager],
  ['shop-catalog', benchShopCatalog],
  ['shop-webhooks', benchShopWebhooks],
  ['shop-board', benchShopBoard],
  ['shop-sync', benchShopSync],
  ['shop-history', benchShopHistory],
];

let failures = 0;
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  try {
    await run();
  } catch (error) {
    failures += 1;
    console.error(`${name} benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failures ? 1 : 0);
