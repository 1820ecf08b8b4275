// `npm run lint:workflows`: every GitHub Actions workflow against the workflow schema, offline
// (@action-validator/core is WebAssembly shipped inside its npm package). Part of `npm test`.
import { validateWorkflow } from '@action-validator/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
let failed = 0;
for (const file of files) {
  const { errors } = validateWorkflow(readFileSync(join(dir, file), 'utf8'));
  if (errors.length > 0) {
    failed += 1;
    console.error(`.github/workflows/${file}:\n${JSON.stringify(errors, null, 2)}`);
  }
}
if (files.length === 0) {
  console.error('No workflows in .github/workflows');
  process.exit(1);
}
console.log(`${files.length - failed}/${files.length} workflows valid`);
process.exit(failed > 0 ? 1 : 0);
