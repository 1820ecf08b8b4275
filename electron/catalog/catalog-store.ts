/**
 * The product catalog: SQLite (node:sqlite) is the record, `SearchIndex` is the in-memory copy that
 * answers search and lookup. Every write goes to the file first and then to the index, so the index
 * never shows a product the file does not have.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { MAX_IMPORT_BYTES, ProductInputSchema, type Product, type ProductInput } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { Catalog } from './catalog-api';
import { SearchIndex, normalizeText } from '../../shared/catalog-search';
import { checkImport, describeErrors, previewImport } from './csv-import';
import { demoProducts } from './demo-catalog';
import { migrate } from './migrations';

interface Row {
  id: string;
  name: string;
  price: number;
  sku: string | null;
  barcode: string | null;
  category: string | null;
  favourite: number;
}

const fromRow = (r: Row): Product => ({
  id: r.id,
  name: r.name,
  price: r.price,
  sku: r.sku,
  barcode: r.barcode,
  category: r.category,
  favourite: r.favourite === 1,
});

const FIELD_PROBLEMS: Record<string, string> = {
  id: 'Product id must be 1 to 128 characters',
  name: 'Name must be 1 to 80 characters',
  price: 'Price must be a whole, non-negative amount in minor units',
  sku: 'SKU must be at most 40 characters',
  barcode: 'Barcode must be at most 40 characters',
  category: 'Category must be at most 40 characters',
  favourite: 'Favourite must be true or false',
};

/** Validates with the contract schema and tidies text (trimmed; empty optional fields become null). */
export function cleanProductInput(input: unknown): ProductInput {
  const parsed = ProductInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      if (issue.code === 'unrecognized_keys') return `Unknown field ${issue.keys.join(', ')}`;
      return FIELD_PROBLEMS[field] ?? `Invalid product (${issue.message})`;
    });
    throw new CajaError('INVALID_INPUT', [...new Set(problems)].join('. '));
  }
  const p = parsed.data;
  const opt = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  const name = p.name.trim().replace(/\s+/g, ' ');
  if (name === '') throw new CajaError('INVALID_INPUT', FIELD_PROBLEMS.name!);
  return {
    ...p,
    name,
    sku: opt(p.sku),
    barcode: opt(p.barcode),
    category: opt(p.category),
  };
}

/** Products written between two yields of an import's commit. */
const WRITE_BATCH = 2000;
/** Rows read back into the index between two yields after a big import. */
const READ_SLICE = 5000;

/** Main's own check of the limit the renderer announces: bytes as the file had them (UTF-8). */
export function checkImportSize(csv: string): void {
  const bytes = Buffer.byteLength(csv, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    throw new CajaError('INVALID_INPUT', `The file is ${mib(bytes)} MiB; Caja imports files up to ${mib(MAX_IMPORT_BYTES)} MiB. Split it into smaller files.`);
  }
}

export function openCatalog(path: string): Catalog {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    // WAL + NORMAL: a power cut may lose the last write but never corrupts the file.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const stmt = {
    // Display order (see SearchIndex): the index then only checks the order instead of sorting.
    all: db.prepare(
      'SELECT id, name, price, sku, barcode, category, favourite, search_key FROM products ORDER BY favourite DESC, search_key, id',
    ),
    page: db.prepare(
      'SELECT id, name, price, sku, barcode, category, favourite FROM products ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?',
    ),
    count: db.prepare('SELECT COUNT(*) AS n FROM products'),
    upsert: db.prepare(`
      INSERT INTO products (id, name, price, sku, barcode, category, favourite, updated_at, search_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, price = excluded.price, sku = excluded.sku,
        barcode = excluded.barcode, category = excluded.category, favourite = excluded.favourite,
        updated_at = excluded.updated_at, search_key = excluded.search_key`),
    delete: db.prepare('DELETE FROM products WHERE id = ?'),
  };

  /**
   * Every row, in display order, with its stored search key: no name is normalized again. Rows come
   * as arrays and become one frozen product each, which the index adopts without copying: a reopen
   * of 50,000 products is mostly SQLite's own read.
   */
  const allAsArrays = db.prepare(
    'SELECT id, name, price, sku, barcode, category, favourite, search_key FROM products ORDER BY favourite DESC, search_key, id',
  );
  allAsArrays.setReturnArrays(true);
  const loadIndex = (into: SearchIndex) => {
    const rows = allAsArrays.all() as unknown as [string, string, number, string | null, string | null, string | null, number, string][];
    const products = new Array<Product>(rows.length);
    const keys = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [id, name, price, sku, barcode, category, favourite, key] = rows[i]!;
      products[i] = Object.freeze({ id, name, price, sku, barcode, category, favourite: favourite === 1 });
      keys[i] = key;
    }
    into.load(products, keys);
  };
  const index = new SearchIndex();
  loadIndex(index);

  /**
   * loadIndex for after a big import: the rows are read a slice at a time with a yield between
   * slices (reading 300,000 rows at once holds main for seconds); only the final load is one step.
   */
  const reloadIndexInSlices = async () => {
    const products: Product[] = [];
    const keys: string[] = [];
    let slice = 0;
    for (const row of stmt.all.iterate() as IterableIterator<Row & { search_key: string }>) {
      products.push(fromRow(row));
      keys.push(row.search_key);
      if (++slice === READ_SLICE) {
        slice = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    index.load(products, keys);
  };

  const write = (p: Product) => {
    const values: SQLInputValue[] = [
      p.id,
      p.name,
      p.price,
      p.sku,
      p.barcode,
      p.category,
      p.favourite ? 1 : 0,
      new Date().toISOString(),
      normalizeText(p.name),
    ];
    try {
      stmt.upsert.run(...values);
    } catch (error) {
      // The unique indexes are the backstop for the checks below; say it like a person would.
      if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
        throw new CajaError(
          'CONFLICT',
          `Another product already uses this barcode or SKU ("${p.name}" was not saved).`,
          { cause: error },
        );
      }
      throw error;
    }
  };

  const inTransaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const existing = {
    byBarcode: (code: string) => index.byBarcodeExact(code),
    bySku: (sku: string) => index.bySkuAnyCase(sku),
  };

  /** A commit in progress holds a transaction open across yields: no other write may join it. */
  let importing = false;
  const notImporting = () => {
    if (importing) throw new CajaError('CONFLICT', 'A product import is running; try again when it has finished.');
  };

  const catalog: Catalog = {
    search: (query, limit) => index.search(query, limit),

    lookup(code) {
      const c = code.trim();
      if (c === '') return null;
      return index.byBarcodeExact(c) ?? index.bySkuAnyCase(c);
    },

    list(offset, limit) {
      const rows = stmt.page.all(Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset))) as unknown as Row[];
      return { items: rows.map(fromRow), total: index.size };
    },

    upsert(input) {
      notImporting();
      const p = cleanProductInput(input);
      const id = p.id ?? randomUUID();
      if (p.barcode !== null) {
        const other = index.byBarcodeExact(p.barcode);
        if (other && other.id !== id)
          throw new CajaError('CONFLICT', `Barcode ${p.barcode} already belongs to "${other.name}".`);
      }
      if (p.sku !== null) {
        const other = index.bySkuAnyCase(p.sku);
        if (other && other.id !== id)
          throw new CajaError('CONFLICT', `SKU ${p.sku} already belongs to "${other.name}".`);
      }
      const product: Product = { ...p, id };
      write(product);
      index.put(product);
      return index.get(id)!;
    },

    delete(id) {
      notImporting();
      const removed = Number(stmt.delete.run(id).changes) > 0;
      index.remove(id);
      return removed;
    },

    importPreview: async (csv, site) => {
      checkImportSize(csv);
      return previewImport(csv, site, existing);
    },

    async importCommit(csv, site) {
      checkImportSize(csv);
      notImporting();
      importing = true;
      try {
        const { preview, products: checked } = await checkImport(csv, site, existing, { collect: true });
        const problem = describeErrors(preview);
        if (problem) throw new CajaError('INVALID_INPUT', problem);
        // Ids given in place: a copy of 300,000 products would double the import's peak memory.
        for (const p of checked) p.id ??= randomUUID();
        const products = checked as Product[];
        // One transaction (all rows or none), written in batches with a yield between them; the
        // import flag keeps every other write out of the transaction meanwhile.
        db.exec('BEGIN IMMEDIATE');
        try {
          for (let at = 0; at < products.length; at += WRITE_BATCH) {
            products.slice(at, at + WRITE_BATCH).forEach(write);
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
        // Each put is a binary insert into a sorted array; past a few thousand a full reload is cheaper.
        if (products.length > 2000) await reloadIndexInSlices();
        else for (const p of products) index.put(p);
        return products.length;
      } finally {
        importing = false;
      }
    },

    seedDemo(site: SiteId) {
      if (index.size > 0) return 0;
      const products = demoProducts(site);
      inTransaction(() => products.forEach(write));
      index.load(products);
      return products.length;
    },

    applyShared(upserted, deleted) {
      notImporting();
      // Every touched row goes first: a barcode that moved from one product to another in the batch
      // must not trip the unique indexes halfway through.
      inTransaction(() => {
        for (const id of deleted) stmt.delete.run(id);
        for (const p of upserted) stmt.delete.run(p.id);
        upserted.forEach(write);
      });
      if (upserted.length + deleted.length > 2000) loadIndex(index);
      else {
        for (const id of deleted) index.remove(id);
        for (const p of upserted) index.remove(p.id);
        for (const p of upserted) index.put(p);
      }
    },

    count: () => index.size,
    all: () => index.products(),
    columns: (offset, limit) => index.columns(offset, limit),

    close() {
      if (db.isOpen) db.close();
    },
  };
  return catalog;
}
