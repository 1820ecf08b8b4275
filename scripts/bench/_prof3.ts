import { normalizeText } from '../../electron/catalog/catalog-search';
import { syntheticProducts } from '../../electron/catalog/synthetic-catalog';
const src = syntheticProducts(50000);
const names = src.map(p => ' ' + normalizeText(p.name));
const run = (label: string, hay: string[], needle: string) => {
  for (let i = 0; i < 3; i++) hay.filter(n => n.includes(needle));
  const t = performance.now();
  for (let i = 0; i < 20; i++) hay.filter(n => n.includes(needle));
  console.log(label, ((performance.now() - t) / 20).toFixed(3));
};
run('literal', names, 'zq');
run('normalized needle', names, normalizeText('zq'));
run('split needle', names, normalizeText('zq').split(' ')[0]!);
const flat = names.map(n => Buffer.from(n, 'utf8').toString('utf8'));
run('flat hay literal', flat, 'zq');
run('flat hay normalized', flat, normalizeText('zq'));
const asciiOnly = names.map(n => n.replace(/[^\x00-\x7f]/g, '?'));
run('ascii hay', asciiOnly, 'zq');
console.log(names.filter(n=>/[^\x00-\x7f]/.test(n)).length);
