/**
 * Reads a product CSV into a per-row preview; writes nothing (the store commits a clean preview).
 *
 * Matching existing products: a row whose SKU or barcode is already in the catalog updates that
 * product instead of creating a new one. Columns missing from the file keep the product's current
 * values; a column present with an empty cell clears the value.
 */
import Papa from 'papaparse';
import type { ImportPreview, Product, ProductInput } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import { normalizeText } from '../../shared/catalog-search';
import { parsePrice } from './price-parse';

export const FIELDS = ['name', 'price', 'sku', 'barcode', 'category', 'favourite'] as const;
type Field = (typeof FIELDS)[number];

/** Header names people use in es/pt/en spreadsheets, normalized (no accents, lowercase, spaces). */
const HEADER_ALIASES: Record<string, Field> = Object.fromEntries(
  (
    [
      [
        'name',
        [
          'name',
          'nombre',
          'nome',
          'producto',
          'produto',
          'product',
          'descripcion',
          'descricao',
          'description',
          'articulo',
        ],
      ],
      ['price', ['price', 'precio', 'preco', 'valor', 'precio venta', 'preco venda', 'importe']],
      ['sku', ['sku', 'codigo', 'code', 'cod', 'codigo interno', 'referencia', 'ref']],
      [
        'barcode',
        [
          'barcode',
          'bar code',
          'codigo de barras',
          'codigo barras',
          'cod barras',
          'codigo de barra',
          'ean',
          'gtin',
          'upc',
        ],
      ],
      ['category', ['category', 'categoria', 'rubro', 'familia', 'seccion', 'secao']],
      ['favourite', ['favourite', 'favorite', 'favorito', 'favorita', 'fav', 'destacado']],
    ] as const
  ).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'si', 's', 'sim', 'x', 'verdadero', 'verdadeiro']);
const FALSE_WORDS = new Set(['', '0', 'false', 'no', 'n', 'nao', 'falso']);
const MAX = { name: 80, sku: 40, barcode: 40, category: 40 } as const;
const LABEL: Record<keyof typeof MAX, string> = {
  name: 'Name',
  sku: 'SKU',
  barcode: 'Barcode',
  category: 'Category',
};

/** What the preview needs to know about the current catalog. */
export interface ExistingProducts {
  byBarcode(barcode: string): Product | null;
  bySku(sku: string): Product | null;
}

export function previewImport(csv: string, site: SiteId, existing: ExistingProducts): ImportPreview {
  const text = csv.replace(/^\ufeff/, '');
  const records = parseRecords(text);
  const header = records.shift();
  if (!header || header.cells.every((c) => c.trim() === '')) {
    throw new CajaError(
      'INVALID_INPUT',
      'The file is empty: expected a header row (name, price, sku, barcode, category, favourite) and one product per row.',
    );
  }
  const columns = mapHeader(header.cells);

  const rows: ImportPreview['rows'] = [];
  const barcodeLine = new Map<string, number>();
  const skuLine = new Map<string, number>();
  const targetLine = new Map<string, number>();
  for (const record of records) {
    if (record.cells.every((c) => c.trim() === '')) continue;
    const cell = (field: Field): string | undefined => {
      const at = columns.get(field);
      return at === undefined ? undefined : (record.cells[at] ?? '').trim();
    };
    const errors: string[] = [];
    const optional = (field: 'sku' | 'barcode' | 'category'): string | null | undefined => {
      const value = cell(field);
      if (value === undefined) return undefined;
      if (value.length > MAX[field]) errors.push(`${LABEL[field]} is longer than ${MAX[field]} characters`);
      return value === '' ? null : value;
    };

    const name = cell('name') ?? '';
    if (name === '') errors.push('Missing name');
    else if (name.length > MAX.name) errors.push(`Name is longer than ${MAX.name} characters`);

    let price: number | null = null;
    const rawPrice = cell('price') ?? '';
    const parsedPrice = parsePrice(rawPrice, site);
    if (parsedPrice.ok) price = parsedPrice.minor;
    else errors.push(parsedPrice.error);

    const sku = optional('sku');
    const barcode = optional('barcode');
    const category = optional('category');

    let favourite: boolean | undefined;
    const rawFav = cell('favourite');
    if (rawFav !== undefined) {
      const word = normalizeText(rawFav);
      if (TRUE_WORDS.has(word)) favourite = true;
      else if (FALSE_WORDS.has(word)) favourite = false;
      else errors.push(`Favourite "${rawFav}" should be yes or no`);
    }

    if (barcode) {
      const first = barcodeLine.get(barcode);
      if (first !== undefined) errors.push(`Barcode ${barcode} is also on line ${first}`);
      else barcodeLine.set(barcode, record.line);
    }
    if (sku) {
      const first = skuLine.get(sku.toLowerCase());
      if (first !== undefined) errors.push(`SKU ${sku} is also on line ${first}`);
      else skuLine.set(sku.toLowerCase(), record.line);
    }

    // Which existing product this row updates, if any; its codes must not point at two products.
    const bySku = sku ? existing.bySku(sku) : null;
    const byBarcode = barcode ? existing.byBarcode(barcode) : null;
    const target = bySku ?? byBarcode;
    if (bySku && byBarcode && bySku.id !== byBarcode.id) {
      errors.push(`SKU ${sku} is "${bySku.name}" in the catalog but barcode ${barcode} is "${byBarcode.name}"`);
    } else if (target) {
      const first = targetLine.get(target.id);
      if (first !== undefined) errors.push(`Line ${first} already updates "${target.name}"`);
      else targetLine.set(target.id, record.line);
    }

    let product: ProductInput | null = null;
    if (errors.length === 0 && price !== null) {
      product = {
        ...(target ? { id: target.id } : {}),
        name,
        price,
        sku: sku === undefined ? (target?.sku ?? null) : sku,
        barcode: barcode === undefined ? (target?.barcode ?? null) : barcode,
        category: category === undefined ? (target?.category ?? null) : category,
        favourite: favourite ?? target?.favourite ?? false,
      };
    }
    rows.push({ line: record.line, product, errors });
  }
  const invalid = rows.filter((r) => r.errors.length > 0).length;
  return { rows, valid: rows.length - invalid, invalid };
}

/** "N rows have errors (line 3: …; line 7: …)" for the cashier, or null when the preview is clean. */
export function describeErrors(preview: ImportPreview): string | null {
  const bad = preview.rows.filter((r) => r.errors.length > 0);
  if (bad.length === 0) return null;
  const shown = bad.slice(0, 3).map((r) => `line ${r.line}: ${r.errors.join(', ')}`);
  const more = bad.length > shown.length ? `; and ${bad.length - shown.length} more` : '';
  const noun = bad.length === 1 ? 'row has errors' : 'rows have errors';
  return `${bad.length} ${noun}, nothing was imported (${shown.join('; ')}${more})`;
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/** Rows with the file line each starts on (quoted cells may span lines, so row index ≠ line). */
function parseRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: guessDelimiter(text),
    step: (result) => {
      records.push({ line, cells: result.data });
      const end = result.meta.cursor;
      for (let i = start; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
      start = end;
    },
  });
  return records;
}

/**
 * The header decides the delimiter: data rows like `Leche;1.500,50` fool frequency guessing, a header
 * of plain words does not. Falls back to papaparse's own guess when the header has neither.
 */
function guessDelimiter(text: string): string | undefined {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const scores = [';', ',', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : undefined;
}

function mapHeader(cells: string[]): Map<Field, number> {
  const columns = new Map<Field, number>();
  cells.forEach((cell, index) => {
    const field = HEADER_ALIASES[normalizeText(cell)];
    if (field && !columns.has(field)) columns.set(field, index); // unknown and repeated columns are ignored
  });
  const missing = (['name', 'price'] as const).filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new CajaError(
      'INVALID_INPUT',
      `The header row has no ${missing.join(' or ')} column. The first row must name the columns: name, price, sku, barcode, category, favourite (or nombre/nome, precio/preço, código, categoría, favorito).`,
    );
  }
  return columns;
}
