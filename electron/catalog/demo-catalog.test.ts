import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_IDS, isWithinSiteLimits } from '../../shared/money';
import { openCatalog } from './catalog-store';
import { DEMO_WATER, demoProducts, isValidEan13 } from './demo-catalog';

describe('demo catalog', () => {
  const products = demoProducts('MLA');

  it('is a few hundred realistic products with the agreed water bottle', () => {
    expect(products.length).toBeGreaterThanOrEqual(200);
    expect(products.length).toBeLessThanOrEqual(800);
    expect(products.find((p) => p.barcode === DEMO_WATER.barcode)).toMatchObject({
      name: 'Agua Mineral 500ml',
      price: 150000,
    });
    expect(new Set(products.map((p) => p.category))).toEqual(
      new Set([
        'Bebidas',
        'Almacén',
        'Lácteos',
        'Limpieza',
        'Perfumería',
        'Panadería',
        'Golosinas',
        'Snacks',
        'Kiosco',
      ]),
    );
    const favourites = products.filter((p) => p.favourite).length;
    expect(favourites).toBeGreaterThanOrEqual(10);
    expect(favourites).toBeLessThanOrEqual(14);
  });

  it('has unique valid EAN-13 barcodes, unique SKUs and names', () => {
    const barcodes = products.map((p) => p.barcode!);
    expect(new Set(barcodes).size).toBe(products.length);
    expect(barcodes.filter((b) => !isValidEan13(b))).toEqual([]);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.name)).size).toBe(products.length);
    expect(products.every((p) => p.name.length <= 80)).toBe(true);
  });

  it('prices every product in whole units the site accepts', () => {
    for (const site of SITE_IDS) {
      for (const p of demoProducts(site)) {
        expect(p.price % 100 === 0 || site === 'MLC' || site === 'MCO').toBe(true);
        expect(isWithinSiteLimits(p.price, site)).toBe(true);
      }
    }
  });

  it('is the same every time', () => {
    expect(demoProducts('MLA')).toEqual(products);
  });

  it('seeds only an empty catalog', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caja-demo-'));
    const catalog = openCatalog(join(dir, 'catalog.sqlite'));
    try {
      expect(catalog.seedDemo('MLA')).toBe(products.length);
      expect(catalog.seedDemo('MLA')).toBe(0);
      expect(catalog.lookup('7790001000019')).toMatchObject({
        name: 'Agua Mineral 500ml',
        price: 150000,
      });
      expect(catalog.search('', 12).every((p) => p.favourite)).toBe(true);
      expect(catalog.search('yerba playa', 5).map((p) => p.name)).toContain('Yerba Mate Playadito 1kg');
    } finally {
      catalog.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
