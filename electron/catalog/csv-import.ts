/**
 * Reads a product CSV into a per-row preview; writes nothing (the store commits a clean preview).
 *
 * Matching existing products: a row whose SKU or barcode is already in the catalog updates that
 * product instead of creating a new one. Columns missing from the file keep the product's current
 * values; a column present with an empty cell clears the value.
 */
import Papa from 'papaparse';
import type { ImportPreview, ImportProblem, Product, ProductInput } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import { normalizeText } from '../../shared/catalog-search';
import { parsePrice, shownCell } from './price-parse';

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

/**
 * A problem in English, for the one place main says it in words: the detail of a refused commit
 * (logged, and shown under the translated INVALID_INPUT on an English screen only). The preview
 * carries the codes; the renderer words them in the manager's language.
 */
export function problemInEnglish(p: ImportProblem): string {
  switch (p.code) {
    case 'name_missing':
      return 'Missing name';
    case 'too_long':
      return `${LABEL[p.field ?? 'name']} is longer than ${p.max} characters`;
    case 'price_missing':
      return 'Missing price';
    case 'price_negative':
      return `Price "${p.value}" cannot be negative`;
    case 'price_not_number':
      return `Price "${p.value}" is not a number`;
    case 'price_unreadable':
      return `Price "${p.value}" is not a number we can read`;
    case 'price_whole_only':
      return `Price "${p.value}" has cents, but ${p.currency} prices are whole numbers`;
    case 'price_decimals':
      return `Price "${p.value}" has more than ${p.max} decimals`;
    case 'favourite_not_yes_no':
      return `Favourite "${p.value}" should be yes or no`;
    case 'barcode_repeated':
      return `Barcode ${p.barcode} is also on line ${p.line}`;
    case 'sku_repeated':
      return `SKU ${p.sku} is also on line ${p.line}`;
    case 'codes_disagree':
      return `SKU ${p.sku} is "${p.product}" in the catalog but barcode ${p.barcode} is "${p.other}"`;
    case 'product_repeated':
      return `Line ${p.line} already updates "${p.product}"`;
  }
}

/** What the preview needs to know about the current catalog. */
export interface ExistingProducts {
  byBarcode(barcode: string): Product | null;
  bySku(sku: string): Product | null;
}

/** Rows shown in full at the top of a preview, whatever their state. */
export const PREVIEW_FIRST_ROWS = 20;
/** Rows with problems listed after those (the summary counts them all). */
export const PREVIEW_MAX_PROBLEMS = 100;
/**
 * Text parsed and checked between two yields to the event loop: ~10 ms of work, so whatever else
 * main does (answering the till, polling payments) waits at most that long during a big import.
 */
const CHUNK_CHARS = 64 * 1024;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ImportCheck {
  preview: ImportPreview;
  /** Every clean row's product, in file order (only when asked to collect them). */
  products: ProductInput[];
}

/**
 * Reads and checks a product CSV a chunk of records at a time, yielding between chunks, and keeps
 * only what the answer needs: counts, the first rows, the first problems (and, for a commit, the
 * products). A 20 MiB file never blocks main for long, nor comes back whole to the renderer.
 */
export async function checkImport(csv: string, site: SiteId, existing: ExistingProducts, options: { collect: boolean }): Promise<ImportCheck> {
  const text = csv.replace(/^\ufeff/, '');
  const delimiter = guessDelimiter(text);
  const products: ProductInput[] = [];
  const shown: ImportPreview['rows'] = [];
  let total = 0;
  let invalid = 0;
  let problemsShown = 0;
  let columns: Map<Field, number> | null = null;

  const barcodeLine = new Map<string, number>();
  const skuLine = new Map<string, number>();
  const targetLine = new Map<string, number>();
  const checkRecord = (record: CsvRecord): { product: ProductInput | null; errors: ImportProblem[] } => {
    const cols = columns!;
    const cell = (field: Field): string | undefined => {
      const at = cols.get(field);
      return at === undefined ? undefined : (record.cells[at] ?? '').trim();
    };
    const errors: ImportProblem[] = [];
    const optional = (field: 'sku' | 'barcode' | 'category'): string | null | undefined => {
      const value = cell(field);
      if (value === undefined) return undefined;
      if (value.length > MAX[field]) errors.push({ code: 'too_long', field, max: MAX[field] });
      return value === '' ? null : value;
    };

    const name = cell('name') ?? '';
    if (name === '') errors.push({ code: 'name_missing' });
    else if (name.length > MAX.name) errors.push({ code: 'too_long', field: 'name', max: MAX.name });

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
      else errors.push({ code: 'favourite_not_yes_no', value: shownCell(rawFav) });
    }

    if (barcode) {
      const first = barcodeLine.get(barcode);
      if (first !== undefined) errors.push({ code: 'barcode_repeated', barcode: shownCell(barcode), line: first });
      else barcodeLine.set(barcode, record.line);
    }
    if (sku) {
      const first = skuLine.get(sku.toLowerCase());
      if (first !== undefined) errors.push({ code: 'sku_repeated', sku: shownCell(sku), line: first });
      else skuLine.set(sku.toLowerCase(), record.line);
    }

    // Which existing product this row updates, if any; its codes must not point at two products.
    const bySku = sku ? existing.bySku(sku) : null;
    const byBarcode = barcode ? existing.byBarcode(barcode) : null;
    const target = bySku ?? byBarcode;
    if (bySku && byBarcode && bySku.id !== byBarcode.id) {
      errors.push({ code: 'codes_disagree', sku: shownCell(sku!), barcode: shownCell(barcode!), product: bySku.name, other: byBarcode.name });
    } else if (target) {
      const first = targetLine.get(target.id);
      if (first !== undefined) errors.push({ code: 'product_repeated', line: first, product: target.name });
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
    return { product, errors };
  };

  for (const records of recordChunks(text, delimiter)) {
    for (const record of records) {
      if (columns === null) {
        if (record.cells.every((c) => c.trim() === '')) break; // an empty first row: reported below
        columns = mapHeader(record.cells);
        continue;
      }
      if (record.cells.every((c) => c.trim() === '')) continue;
      const { product, errors } = checkRecord(record);
      total += 1;
      if (errors.length > 0) invalid += 1;
      if (shown.length < PREVIEW_FIRST_ROWS) {
        shown.push({ line: record.line, product, errors });
        if (errors.length > 0) problemsShown += 1;
      } else if (errors.length > 0 && problemsShown < PREVIEW_MAX_PROBLEMS) {
        shown.push({ line: record.line, product, errors });
        problemsShown += 1;
      }
      if (options.collect && product) products.push(product);
    }
    if (columns === null) break;
    await yieldToLoop();
  }
  if (columns === null) {
    throw new CajaError(
      'INVALID_INPUT',
      'The file is empty: expected a header row (name, price, sku, barcode, category, favourite) and one product per row.',
    );
  }
  return {
    preview: { rows: shown, total, valid: total - invalid, invalid, truncated: shown.length < total },
    products,
  };
}

/** The preview the manager sees: a summary, the first rows and the first problems. */
export async function previewImport(csv: string, site: SiteId, existing: ExistingProducts): Promise<ImportPreview> {
  return (await checkImport(csv, site, existing, { collect: false })).preview;
}

/** "N rows have errors (line 3: …; line 7: …)" for the cashier, or null when the preview is clean. */
export function describeErrors(preview: ImportPreview): string | null {
  if (preview.invalid === 0) return null;
  const bad = preview.rows.filter((r) => r.errors.length > 0);
  const shown = bad.slice(0, 3).map((r) => `line ${r.line}: ${r.errors.map(problemInEnglish).join(', ')}`);
  const more = preview.invalid > shown.length ? `; and ${preview.invalid - shown.length} more` : '';
  const noun = preview.invalid === 1 ? 'row has errors' : 'rows have errors';
  return `${preview.invalid} ${noun}, nothing was imported (${shown.join('; ')}${more})`;
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * The file's records, a chunk at a time (each about CHUNK_CHARS, cut only between records), with the
 * file line each record starts on (quoted cells may span lines, so record index ≠ line).
 */
function* recordChunks(text: string, delimiter: string | undefined): Generator<CsvRecord[]> {
  const newline = text.lastIndexOf('\n', 64 * 1024) === -1 && text.includes('\r') ? 13 : 10;
  let from = 0;
  let line = 1;
  while (from < text.length) {
    const to = recordBoundary(text, from, CHUNK_CHARS, newline, delimiter ?? ',');
    const chunk = text.slice(from, to);
    const records: CsvRecord[] = [];
    let start = 0;
    Papa.parse<string[]>(chunk, {
      delimiter: delimiter ?? ',',
      step: (result) => {
        records.push({ line, cells: result.data });
        const end = result.meta.cursor;
        for (let i = start; i < end && i < chunk.length; i++) if (chunk.charCodeAt(i) === 10) line++;
        start = end;
      },
    });
    for (let i = start; i < chunk.length; i++) if (chunk.charCodeAt(i) === 10) line++;
    yield records;
    from = to;
  }
}

const QUOTE = 34;

/**
 * The first record boundary at least `min` characters after `from` (or the end of the text). Reads
 * quotes as papaparse does: a quote opens a quoted cell only at the start of a cell, and `""` inside
 * one is a literal quote; an inch mark in the middle of a cell (`Tornillo 1/2"`) is just a character.
 */
function recordBoundary(text: string, from: number, min: number, newline: number, delimiter: string): number {
  const delim = delimiter.charCodeAt(0);
  let cellStart = true;
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (cellStart && c === QUOTE) {
      let q = text.indexOf('"', i + 1);
      while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
      if (q === -1) return text.length; // never closed: the rest of the file is this one cell, as for papaparse
      i = q + 1;
      cellStart = false;
      continue;
    }
    if (c === newline) {
      if (i + 1 - from >= min) return i + 1;
      cellStart = true;
    } else {
      cellStart = c === delim;
    }
    i++;
  }
  return text.length;
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
