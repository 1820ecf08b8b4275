/**
 * The in-memory search index behind the cashier's search box.
 *
 * Search runs on every keystroke against catalogs of tens of thousands of products, so SQL LIKE per
 * call is too slow and cannot ignore accents. Every product is normalized once (when loaded or
 * written) and kept in display order (favourites, then alphabetical).
 *
 * Why one long string: walking 50,000 product objects costs a cache miss per object (measured ~15 ms
 * a scan on the 2-core target, against ~2 ms for the same bytes in one place). So the normalized names
 * are also joined, in display order, into one "haystack" string that `indexOf` runs through; products
 * are only touched when they make it into the answer. SKUs and barcodes get their own haystacks. The
 * haystacks are rebuilt lazily after edits (a few ms at 50,000 products), not on every keystroke.
 *
 * It lives in shared/ because both sides search: main answers `catalog.search`, and the renderer keeps
 * its own copy so a keystroke's results are painted in the same frame, without a round trip to main.
 */
import type { Product } from './contract';

/** Lowercase, accents stripped, punctuation as spaces: "Coca-Cola Zero 1,5L" → "coca cola zero 1 5l". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Separates products in a haystack; normalized text and trimmed codes never contain it. */
const SEP = '\u0001';
const SPACE = 32;
const SEP_CHAR = SEP.charCodeAt(0);

interface Entry {
  product: Product;
  /** Normalized name with a leading space, so a word start is `' ' + word`. */
  name: string;
  sku: string | null; // lowercase
  barcode: string | null;
  /** For prefix matching: some barcodes (Code 128) hold letters. '' when there is none. */
  barcodeLower: string;
  fav: number; // 1 for favourites: sorts them first
}

/** Rank buckets after exact code matches, best first. */
const CODE_PREFIX = 0;
const WORD_STARTS = 1;
const SUBSTRING = 2;

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
    name: ' ' + normalizeText(product.name),
    sku: product.sku === null ? null : product.sku.toLowerCase(),
    barcode: product.barcode,
    barcodeLower: product.barcode?.toLowerCase() ?? '',
    fav: product.favourite ? 1 : 0,
  };
}

/** Products joined as SEP + text, with where each one starts (plus the end). */
interface Haystack {
  text: string;
  starts: Int32Array;
}

function haystack(entries: readonly Entry[], pick: (e: Entry) => string): Haystack {
  const starts = new Int32Array(entries.length + 1);
  const parts: string[] = new Array<string>(entries.length);
  let at = 0;
  for (let k = 0; k < entries.length; k++) {
    const piece = pick(entries[k]!);
    starts[k] = at;
    parts[k] = piece;
    at += piece.length + 1;
  }
  starts[entries.length] = at;
  return { text: entries.length ? SEP + parts.join(SEP) : '', starts };
}

/** Index of the product whose segment holds position `pos`. */
function entryAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * "Does product k's segment contain `needle`?" asked for increasing k: remembers the next
 * occurrence so the whole scan reads the haystack once per needle instead of once per product.
 */
class Occurrences {
  /** Position of the next occurrence at or after the last asked-for product; Infinity for none. */
  private next = -1;
  constructor(
    private readonly hay: Haystack,
    private readonly needle: string,
    /**
     * Only occurrences right after this character (a space: word starts; SEP: code prefixes). Checked
     * by hand because `indexOf` is slow for needles that begin with a common character.
     */
    private readonly after: number | null = null,
  ) {}

  private seek(k: number): number {
    const from = this.hay.starts[k]!;
    if (this.next < from) {
      const text = this.hay.text;
      let found = text.indexOf(this.needle, from);
      if (this.after !== null) {
        while (found !== -1 && text.charCodeAt(found - 1) !== this.after) found = text.indexOf(this.needle, found + 1);
      }
      this.next = found === -1 ? Infinity : found;
    }
    return this.next;
  }

  /** First product at or after k whose segment contains the needle, or -1. */
  nextFrom(k: number): number {
    if (k >= this.hay.starts.length - 1) return -1;
    const at = this.seek(k);
    return at === Infinity ? -1 : entryAt(this.hay.starts, at);
  }

  in(k: number): boolean {
    return this.seek(k) + this.needle.length <= this.hay.starts[k + 1]!;
  }
}

export class SearchIndex {
  private sorted: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private readonly byBarcode = new Map<string, Entry>();
  private readonly bySku = new Map<string, Entry>();
  private hays: {
    names: Haystack;
    skus: Haystack;
    barcodes: Haystack;
    skuStarts: Set<string>;
    barcodeStarts: Set<string>;
  } | null = null;
  private rebuildScheduled = false;

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
    this.invalidate();
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Every product, in display order. */
  products(): Product[] {
    return this.sorted.map((e) => e.product);
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
    this.invalidate();
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
    this.invalidate();
    return true;
  }

  /**
   * Exact barcode/SKU first; then name prefix, SKU/barcode prefix, every word starting a name word,
   * every word anywhere in the name. Within a rank favourites come first, then alphabetical.
   */
  search(query: string, limit: number): Product[] {
    const max = Math.max(0, Math.floor(limit));
    if (max === 0) return [];
    const phrase = normalizeText(query);
    const code = query.trim().toLowerCase();
    const codeLike = code !== '' && !/\s/.test(code) && !code.includes(SEP);
    if (phrase === '' && !codeLike) return this.sorted.slice(0, max).map((e) => e.product);

    const hays = this.haystacks();
    const out: Entry[] = [];
    const taken = new Set<Entry>();
    const take = (e: Entry) => {
      if (!taken.has(e)) {
        taken.add(e);
        out.push(e);
      }
    };

    if (codeLike) {
      const byBarcode = this.byBarcode.get(query.trim());
      if (byBarcode) take(byBarcode);
      const bySku = this.bySku.get(code);
      if (bySku) take(bySku);
    }

    // Name prefixes sit together in display order (once among favourites, once among the rest).
    const prefixed = new Set<number>();
    if (phrase !== '') {
      const prefix = ' ' + phrase;
      const favourites = this.firstNonFavourite();
      for (const [lo, hi] of [
        [0, favourites],
        [favourites, this.sorted.length],
      ] as const) {
        for (let k = this.lowerBound(prefix, lo, hi); k < hi && out.length < max; k++) {
          const e = this.sorted[k]!;
          if (!e.name.startsWith(prefix)) break;
          prefixed.add(k);
          take(e);
        }
      }
    }
    const need = max - out.length;
    if (need <= 0) return out.map((e) => e.product);

    const cap = need + 2; // exact matches may turn up again in a bucket
    const buckets: number[][] = [[], [], []];
    const full = (tier: number) => buckets[tier]!.length >= cap;

    const codeStream = codeLike && (hays.skuStarts.has(code[0]!) || hays.barcodeStarts.has(code[0]!));
    if (codeStream) {
      // SKU and barcode prefixes: merge both streams, each already in display order.
      const skus = new Occurrences(hays.skus, code, SEP_CHAR);
      const barcodes = new Occurrences(hays.barcodes, code, SEP_CHAR);
      let s = hays.skuStarts.has(code[0]!) ? skus.nextFrom(0) : -1;
      let b = hays.barcodeStarts.has(code[0]!) ? barcodes.nextFrom(0) : -1;
      while ((s !== -1 || b !== -1) && !full(CODE_PREFIX)) {
        const k = s === -1 ? b : b === -1 ? s : Math.min(s, b);
        if (k === s) s = skus.nextFrom(k + 1);
        if (k === b) b = barcodes.nextFrom(k + 1);
        if (!prefixed.has(k)) buckets[CODE_PREFIX]!.push(k);
      }
    }

    if (phrase !== '') {
      const words = phrase.split(' ');
      // The longest word is usually the rarest, so it drives the scan; the others are checked per hit.
      const anchorAt = words.reduce((best, w, i) => (w.length > words[best]!.length ? i : best), 0);
      const anchorWord = words[anchorAt]!;
      let anchor = new Occurrences(hays.names, anchorWord);
      let wordStartsOnly = false;
      const others = words.filter((_, i) => i !== anchorAt).map((w) => new Occurrences(hays.names, w));
      const wordStarts = words.map((w) => new Occurrences(hays.names, w, SPACE));
      const isCodePrefix = (k: number) =>
        hays.skus.text.startsWith(SEP + code, hays.skus.starts[k]!) ||
        hays.barcodes.text.startsWith(SEP + code, hays.barcodes.starts[k]!);
      for (let k = anchor.nextFrom(0); k !== -1; k = anchor.nextFrom(k + 1)) {
        if (prefixed.has(k) || !others.every((o) => o.in(k))) continue;
        if (codeStream && isCodePrefix(k)) continue; // ranked by the code stream
        const tier = wordStarts.every((o) => o.in(k)) ? WORD_STARTS : SUBSTRING;
        if (!full(tier)) buckets[tier]!.push(k);
        if (full(WORD_STARTS)) break; // later products only rank lower than what we hold
        if (full(SUBSTRING) && !wordStartsOnly) {
          // Only word starts can still improve the answer: skip the other occurrences.
          wordStartsOnly = true;
          anchor = new Occurrences(hays.names, anchorWord, SPACE);
        }
      }
    }

    for (const bucket of buckets) {
      for (const k of bucket) {
        if (out.length >= max) break;
        take(this.sorted[k]!);
      }
    }
    return out.slice(0, max).map((e) => e.product);
  }

  /** Built on demand, and soon after each edit so the keystroke after a save does not pay for it. */
  private haystacks(): NonNullable<SearchIndex['hays']> {
    return (this.hays ??= {
      names: haystack(this.sorted, (e) => e.name),
      skus: haystack(this.sorted, (e) => e.sku ?? ''),
      barcodes: haystack(this.sorted, (e) => e.barcodeLower),
      // Lets a word like "leche" skip scanning the codes when no SKU or barcode starts with "l".
      skuStarts: new Set(this.sorted.map((e) => e.sku?.[0] ?? '')),
      barcodeStarts: new Set(this.sorted.map((e) => e.barcodeLower[0] ?? '')),
    });
  }

  private invalidate(): void {
    this.hays = null;
    if (this.rebuildScheduled) return;
    this.rebuildScheduled = true;
    const timer: unknown = setTimeout(() => {
      this.rebuildScheduled = false;
      this.haystacks();
    }, 0);
    // Under Node the rebuild must not keep a finished process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  private remember(entry: Entry): void {
    this.byId.set(entry.product.id, entry);
    if (entry.barcode !== null) this.byBarcode.set(entry.barcode, entry);
    if (entry.sku !== null) this.bySku.set(entry.sku, entry);
  }

  private firstNonFavourite(): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.fav === 1) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index in [lo, hi) whose normalized name is not before `name`. */
  private lowerBound(name: string, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.name < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
