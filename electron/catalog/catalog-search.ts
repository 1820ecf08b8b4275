/**
 * The in-memory search index behind the cashier's search box.
 *
 * Search runs on every keystroke against catalogs of tens of thousands of products, so SQL LIKE per
 * call is too slow and cannot ignore accents. Instead every product is normalized once (when loaded
 * or written) and kept in an array already in display order (favourites, then alphabetical); a
 * search is one linear pass of `includes` checks that drops matches into rank buckets, and stops as
 * soon as the best name bucket is full.
 */
import type { Product } from '../../shared/contract';

/** Lowercase, accents stripped, punctuation as spaces: "Coca-Cola Zero 1,5L" → "coca cola zero 1 5l". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Entry {
  product: Product;
  /** Normalized name with a leading space, so a word start is `includes(' ' + word)`. */
  name: string;
  sku: string | null; // lowercase
  barcode: string | null;
  fav: number; // 1 for favourites: sorts them first
}

/** Rank buckets, best first. Exact code matches come from the maps, not the scan. */
const Tier = { NamePrefix: 0, CodePrefix: 1, WordStarts: 2, Substring: 3 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];
const TIERS = 4;

function compare(a: Entry, b: Entry): number {
  if (a.fav !== b.fav) return b.fav - a.fav;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const ai = a.product.id;
  const bi = b.product.id;
  return ai === bi ? 0 : ai < bi ? -1 : 1;
}

function toEntry(product: Product): Entry {
  return {
    product: Object.freeze({ ...product }),
    name: flat(' ' + normalizeText(product.name)),
    sku: product.sku === null ? null : product.sku.toLowerCase(),
    barcode: product.barcode,
    fav: product.favourite ? 1 : 0,
  };
}

export class SearchIndex {
  private sorted: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private readonly byBarcode = new Map<string, Entry>();
  private readonly bySku = new Map<string, Entry>();

  constructor(products: Iterable<Product> = []) {
    this.load(products);
  }

  load(products: Iterable<Product>): void {
    this.byId.clear();
    this.byBarcode.clear();
    this.bySku.clear();
    const entries: Entry[] = [];
    for (const product of products) {
      const entry = toEntry(product);
      entries.push(entry);
      this.remember(entry);
    }
    this.sorted = entries.sort(compare);
  }

  get size(): number {
    return this.sorted.length;
  }

  get(id: string): Product | null {
    return this.byId.get(id)?.product ?? null;
  }

  byBarcodeExact(barcode: string): Product | null {
    return this.byBarcode.get(barcode)?.product ?? null;
  }

  /** SKUs are unique regardless of case. */
  bySkuAnyCase(sku: string): Product | null {
    return this.bySku.get(sku.toLowerCase())?.product ?? null;
  }

  /** Inserts or replaces one product (kept in display order by binary insertion). */
  put(product: Product): void {
    this.remove(product.id);
    const entry = toEntry(product);
    this.remember(entry);
    this.sorted.splice(this.position(entry), 0, entry);
  }

  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    if (entry.barcode !== null && this.byBarcode.get(entry.barcode) === entry) this.byBarcode.delete(entry.barcode);
    if (entry.sku !== null && this.bySku.get(entry.sku) === entry) this.bySku.delete(entry.sku);
    const at = this.position(entry);
    if (this.sorted[at] === entry) this.sorted.splice(at, 1);
    else this.sorted = this.sorted.filter((e) => e !== entry); // unreachable while compare is a total order
    return true;
  }

  /**
   * Exact barcode/SKU first; then name prefix, SKU/barcode prefix, every word starting a name word,
   * every word anywhere in the name. Within a bucket favourites come first, then alphabetical.
   */
  search(query: string, limit: number): Product[] {
    const max = Math.max(0, Math.floor(limit));
    if (max === 0) return [];
    const phrase = normalizeText(query);
    if (phrase === '') return this.sorted.slice(0, max).map((e) => e.product);

    const words = phrase.split(' ');
    const code = query.trim().toLowerCase();
    const codeLike = code !== '' && !/\s/.test(code);
    const prefix = ' ' + phrase;
    const starts = words.map((w) => ' ' + w);

    const exact: Entry[] = [];
    if (codeLike) {
      const byBarcode = this.byBarcode.get(query.trim());
      if (byBarcode) exact.push(byBarcode);
      const bySku = this.bySku.get(code);
      if (bySku && bySku !== byBarcode) exact.push(bySku);
    }

    const buckets: Entry[][] = Array.from({ length: TIERS }, () => []);
    const full = (tier: Tier) => buckets[tier]!.length >= max;
    const entries = this.sorted;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (exact.length > 0 && (e === exact[0] || e === exact[1])) continue;
      const name = e.name;
      let all = true;
      for (let w = 0; w < words.length; w++) {
        if (!name.includes(words[w]!)) {
          all = false;
          break;
        }
      }
      let tier: Tier | -1 = -1;
      if (all) {
        if (name.startsWith(prefix)) tier = Tier.NamePrefix;
        else if (codeLike && isCodePrefix(e, code)) tier = Tier.CodePrefix;
        else if (starts.every((s) => name.includes(s))) tier = Tier.WordStarts;
        else tier = Tier.Substring;
      } else if (codeLike && isCodePrefix(e, code)) {
        tier = Tier.CodePrefix;
      }
      if (tier === -1 || full(tier)) continue;
      buckets[tier]!.push(e);
      // Entries arrive in display order, so a full best bucket cannot be improved on.
      if (tier === Tier.NamePrefix && full(Tier.NamePrefix)) break;
    }

    const out: Product[] = exact.map((e) => e.product);
    for (const bucket of buckets) {
      for (const e of bucket) {
        if (out.length >= max) return out;
        out.push(e.product);
      }
    }
    return out.slice(0, max);
  }

  private remember(entry: Entry): void {
    this.byId.set(entry.product.id, entry);
    if (entry.barcode !== null) this.byBarcode.set(entry.barcode, entry);
    if (entry.sku !== null) this.bySku.set(entry.sku, entry);
  }

  /** First index whose entry is not before `entry` in display order. */
  private position(entry: Entry): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.sorted[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function isCodePrefix(e: Entry, code: string): boolean {
  return (e.sku !== null && e.sku.startsWith(code)) || (e.barcode !== null && e.barcode.startsWith(code));
}

function flat(s: string): string {
  return s.split('').join('');
}
