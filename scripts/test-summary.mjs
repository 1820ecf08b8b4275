// Prints one closing line for CI from the runners' JSON reports: "tests: N passed, N failed, N skipped".
// A runner that did not get to run (an earlier step failed) counts as one failure, so the line never
// claims green for tests that never ran.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];

const vitest = '.reports/vitest.json';
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed += 1;
  notes.push('unit tests did not run');
}

const pw = '.reports/playwright.json';
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
} else {
  failed += 1;
  notes.push('e2e tests did not run');
}

if (notes.length) console.log(notes.join('; '));
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
