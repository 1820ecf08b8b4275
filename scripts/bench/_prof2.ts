import { SearchIndex } from '../../electron/catalog/catalog-search';
import { syntheticProducts } from '../../electron/catalog/synthetic-catalog';
const src = syntheticProducts(50000).map((p, i) => ({ id: String(i), name: p.name, price: p.price, sku: p.sku, barcode: p.barcode, category: p.category, favourite: false }));
const idx = new SearchIndex(src);
for (const q of ['zq', 'zq zq', 'zq ']) {
const t = performance.now();
for (let i = 0; i < 100; i++) idx.search(q, 50);
console.log(q, ((performance.now() - t) / 100).toFixed(3));
}
