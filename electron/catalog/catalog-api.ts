/**
 * What services.ts asks of the product catalog (implemented in `catalog-store.ts`, node:sqlite).
 */
import type { CatalogColumns } from '../../shared/catalog-search';
import type { ImportPreview, Product, ProductInput } from '../../shared/contract';
import type { SiteId } from '../../shared/money';

export interface Catalog {
  search(query: string, limit: number): Product[];
  /** Exact barcode, then exact SKU. */
  lookup(code: string): Product | null;
  list(offset: number, limit: number): { items: Product[]; total: number };
  upsert(input: ProductInput): Product;
  delete(id: string): boolean;
  /**
   * Checks the file in chunks (main keeps answering meanwhile) and answers a summary plus the first
   * rows and problems. Refuses a file over MAX_IMPORT_BYTES.
   */
  importPreview(csv: string, site: SiteId): Promise<ImportPreview>;
  /**
   * All rows or none: throws CajaError('INVALID_INPUT') listing the bad rows, writing nothing.
   * Other catalog writes are refused (CONFLICT) while it runs.
   */
  importCommit(csv: string, site: SiteId): Promise<number>;
  /** Fills an empty catalog with the demo products (a few hundred). */
  seedDemo(site: SiteId): number;
  /**
   * Writes products exactly as the shop's shared catalog has them (electron/shop/catalog-sync.ts):
   * ids kept, no uniqueness check of its own beyond the file's indexes, in one transaction.
   */
  applyShared(upserted: readonly Product[], deleted: readonly string[]): void;
  count(): number;
  /** Every product from memory (no disk read). */
  all(): Product[];
  /** Rows [offset, offset + limit) in display order, from memory: the renderer's search snapshot. */
  columns(offset: number, limit: number): CatalogColumns;
  close(): void;
}
