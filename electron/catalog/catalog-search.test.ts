import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/contract';
import { SearchIndex, columnsToProducts, normalizeText } from '../../shared/catalog-search';
import { demoProducts } from './demo-catalog';
import { syntheticProducts } from './synthetic-catalog';

/** The ranking rules written the slow, obvious way; the index must agree with it exactly. */
function reference(products: Product[], query: string, limit: number): string[] {
  const phrase = normalizeText(query);
  const code = query.trim().toLowerCase();
  const codeLike = code !== '' && !/\s/.test(code);
  const words = phrase === '' ? [] : phrase.split(' ');
  const ranked: { p: Product; rank: number; name: string }[] = [];
  for (const p of products) {
    const name = ' ' + normalizeText(p.name);
    let rank = -1;
    if (codeLike && p.barcode === query.trim()) rank = 0;
    else if (codeLike && p.sku?.toLowerCase() === code) rank = 1;
    else if (phrase !== '' && name.startsWith(' ' + phrase)) rank = 2;
    else if (codeLike && (p.sku?.toLowerCase().startsWith(code) || p.barcode?.toLowerCase().startsWith(code))) rank = 3;
    else if (words.length && words.every((w) => name.includes(w)))
      rank = words.every((w) => name.includes(' ' + w)) ? 4 : 5;
    else if (phrase === '' && !codeLike) rank = 6;
    if (rank >= 0) ranked.push({ p, rank, name });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      (a.rank <= 1 ? 0 : Number(b.p.favourite) - Number(a.p.favourite)) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.p.id < b.p.id ? -1 : 1),
  );
  return ranked.slice(0, limit).map((r) => r.p.id);
}

const synthetic: Product[] = syntheticProducts(3000).map((p, i) => ({
  id: `s${i}`,
  name: p.name,
  price: p.price * 100,
  sku: p.sku,
  barcode: p.barcode,
  category: p.category,
  favourite: i % 97 === 0,
}));
const demo = demoProducts('MLA');

const QUERIES = [
  ...[
    'leche entera',
    'dulce de leche',
    'coca cola 1.5',
    'alfajor trip',
    'cafe',
    'serenisima',
    'yerba playadito',
  ].flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1))),
  '',
  ' ',
  'z',
  'zq',
  'a',
  'e',
  '1',
  '1l',
  '500',
  'lac',
  'LAC-00',
  'BEB-0001',
  '779',
  '7790001000019',
  '2000000001',
  'syn-00',
  'SYN-002999',
  'leche 1l',
  '1l leche',
  'de',
  'ñandu',
  'Agua Mineral',
  'AGUA',
  'light clasico',
  '-',
  '#2',
];

describe('SearchIndex agrees with the plain ranking rules', () => {
  for (const [label, products] of [
    ['demo', demo],
    ['synthetic', synthetic],
  ] as const) {
    it(`on the ${label} catalog`, () => {
      const index = new SearchIndex(products);
      for (const query of QUERIES) {
        for (const limit of [1, 7, 50]) {
          expect(
            index.search(query, limit).map((p) => p.id),
            `"${query}" limit ${limit}`,
          ).toEqual(reference(products, query, limit));
        }
      }
    });
  }

  it('stays in agreement through puts and removes', () => {
    const products = demo.slice();
    const index = new SearchIndex(products);
    for (let i = 0; i < 60; i++) {
      const victim = products[(i * 37) % products.length]!;
      if (i % 3 === 0) {
        products.splice(products.indexOf(victim), 1);
        index.remove(victim.id);
      } else {
        const changed = {
          ...victim,
          name: `${victim.name} ${i % 2 ? 'Light' : 'Zero'}`,
          favourite: !victim.favourite,
        };
        products[products.indexOf(victim)] = changed;
        index.put(changed);
      }
      for (const query of ['', 'light', 'zero coca', 'leche', 'beb-00', 'z']) {
        expect(
          index.search(query, 20).map((p) => p.id),
          `"${query}" after ${i}`,
        ).toEqual(reference(products, query, 20));
      }
    }
  });
});

describe('SearchIndex edited in place', () => {
  const CODE_QUERIES = ['', 'light', 'zero leche', 'leche', 'syn-00', 'syn-0012', 'zz-', '2000000001', '99', 'z', 'ent'];

  it('agrees after edits that move names, codes and favourites, with the haystacks already built', () => {
    const products = synthetic.slice();
    const index = new SearchIndex(products);
    index.search('warm', 5); // builds the haystacks: every edit below lands in place
    for (let i = 0; i < 120; i++) {
      const victim = products[(i * 389) % products.length]!;
      if (i % 4 === 0) {
        products.splice(products.indexOf(victim), 1);
        expect(index.remove(victim.id)).toBe(true);
      } else {
        const changed = {
          ...victim,
          name: `${i % 3 ? 'Zero' : 'Leche'} ${victim.name} ${i % 2 ? 'Light' : ''}`,
          sku: i % 5 === 0 ? `ZZ-${i}` : victim.sku,
          barcode: i % 7 === 0 ? `99${i}` : victim.barcode,
          favourite: i % 6 === 0 ? !victim.favourite : victim.favourite,
        };
        products[products.indexOf(victim)] = changed;
        index.put(changed);
      }
      if (i % 10 === 9) {
        for (const query of CODE_QUERIES) {
          expect(index.search(query, 20).map((p) => p.id), `"${query}" after ${i}`).toEqual(reference(products, query, 20));
        }
      }
    }
    expect(index.size).toBe(products.length);
  });

  it('folds many edits back into its haystacks and still agrees', async () => {
    const products = synthetic.slice();
    const index = new SearchIndex(products);
    index.search('warm', 5);
    for (let i = 0; i < 600; i++) {
      const victim = products[i]!;
      const changed = { ...victim, name: `${victim.name} Nuevo ${i}` };
      products[i] = changed;
      index.put(changed);
    }
    await new Promise((resolve) => setTimeout(resolve, 5)); // the rebuild runs on a timer
    for (const query of ['nuevo', 'nuevo 59', 'leche nuevo', 'syn-000']) {
      expect(index.search(query, 30).map((p) => p.id), query).toEqual(reference(products, query, 30));
    }
  });

  it('travels as columns and loads them in order, without normalizing again', () => {
    const index = new SearchIndex(synthetic);
    const chunks = [index.columns(0, 1000), index.columns(1000, 1000), index.columns(2000, 5000)];
    expect(chunks.map((c) => c.ids.length)).toEqual([1000, 1000, 1000]);
    expect(chunks[0]!.favourites).toBe(synthetic.filter((p) => p.favourite).length);
    expect(chunks[1]!.favourites).toBe(0);
    const copy = new SearchIndex();
    copy.load(
      chunks.flatMap(columnsToProducts),
      chunks.flatMap((c) => c.keys),
    );
    expect(copy.products()).toEqual(index.products());
    for (const query of ['leche entera', 'syn-0001', 'alfajor']) {
      expect(copy.search(query, 20)).toEqual(index.search(query, 20));
    }
  });
});

describe('normalizeText', () => {
  it('strips accents and case, and splits on punctuation', () => {
    expect(normalizeText('  Coca-Cola ZERO 1,5L  ')).toBe('coca cola zero 1 5l');
    expect(normalizeText('Ñandú Azúcar PÃO')).toBe('nandu azucar pao');
    expect(normalizeText('Hellmann’s')).toBe('hellmann s');
  });
});
