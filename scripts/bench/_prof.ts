import { SearchIndex, normalizeText } from '../../electron/catalog/catalog-search';
import { syntheticProducts } from '../../electron/catalog/synthetic-catalog';
const src = syntheticProducts(50000).map((p, i) => ({ id: String(i), name: p.name, price: p.price, sku: p.sku, barcode: p.barcode, category: p.category, favourite: false }));
const idx = new SearchIndex(src);
for (const q of ['l', 'le', 'leche', 'leche ent', 'z', 'zq', 'cafe molido', 'SYN-04', '2000', 'jabon en polvo skip']) {
  for (let i = 0; i < 5; i++) idx.search(q, 50);
  const t = performance.now();
  let n = 0;
  for (let i = 0; i < 20; i++) n = idx.search(q, 50).length;
  console.log(q.padEnd(22), ((performance.now() - t) / 20).toFixed(3), n);
}
const names = src.map(p => ' ' + normalizeText(p.name));
const t = performance.now();
for (let i = 0; i < 20; i++) names.filter(n => n.includes('zq'));
console.log('floor-norm zq', ((performance.now() - t) / 20).toFixed(3));
const names2 = names.map(n => n.split('').join(''));
const t2 = performance.now();
for (let i = 0; i < 20; i++) names2.filter(n => n.includes('zq'));
console.log('floor-flat zq', ((performance.now() - t2) / 20).toFixed(3));
