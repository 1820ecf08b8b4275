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
 * haystacks are rebuilt lazily after a full load (a few ms at 50,000 products), not on every keystroke.
 *
 * Edits never rebuild them: an upsert or delete patches the index in place. The replaced entry is
 * marked dead (the scan skips it) and the new one joins a short "fresh" list that every search checks
 * by hand and merges into the ranking; once that list grows past a few hundred, the haystacks are
 * folded back together on a timer, off the keystroke's path. So the search right after an edit costs
 * what any other search costs.
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
  /** Replaced or removed after the haystacks were built: scans skip it. */
  dead: boolean;
}

/**
 * A slice of the catalog in display order as parallel columns: the shape the renderer's copy travels
 * in. Columns of plain strings and numbers cost a fraction of 50,000 objects to encode, parse or
 * structured-clone, and `keys` (the normalized names) spare the receiver normalizing every name again,
 * which is most of an index's build time.
 */
export interface CatalogColumns {
  ids: string[];
  names: string[];
  /** normalizeText(name) for each row. */
  keys: string[];
  prices: number[];
  skus: (string | null)[];
  barcodes: (string | null)[];
  categories: (string | null)[];
  /** How many rows, from the first, are favourites (display order puts favourites first). */
  favourites: number;
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

/** `key`: normalizeText(product.name) when the caller already has it (stored or sent by main). */
function toEntry(product: Product, key?: string): Entry {
  return {
    // A frozen product cannot change under the index: adopted as is (a 50,000-row load makes no copies).
    product: Object.isFrozen(product) ? product : Object.freeze({ ...product }),
    name: ' ' + (key ?? normalizeText(product.name)),
    sku: product.sku === null ? null : product.sku.toLowerCase(),
    barcode: product.barcode,
    barcodeLower: product.barcode?.toLowerCase() ?? '',
    fav: product.favourite ? 1 : 0,
    dead: false,
  };
}

/** Rows of `columns` as products (for a receiver of CatalogColumns). */
export function columnsToProducts(columns: CatalogColumns): Product[] {
  const out = new Array<Product>(columns.ids.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Object.freeze({
      id: columns.ids[i]!,
      name: columns.names[i]!,
      price: columns.prices[i]!,
      sku: columns.skus[i]!,
      barcode: columns.barcodes[i]!,
      category: columns.categories[i]!,
      favourite: i < columns.favourites,
    });
  }
  return out;
}

/** How many fresh (edited since the last build) entries a search checks by hand before a rebuild is due. */
const FRESH_LIMIT = 256;

/** Products joined as SEP + text, with where each one starts (plus the end). */
interface Haystack {
  text: string;
  starts: Int32Array;
}

/** One haystack, collected piece by piece: pieces are joined per batch, batches once at the end. */
class HaystackParts {
  private readonly batches: string[] = [];
  private pending: string[] = [];
  private starts = new Int32Array(1024);
  private count = 0;
  private at = 0;

  add(piece: string): void {
    if (this.count + 2 > this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = this.at;
    this.at += piece.length + 1;
    this.pending.push(piece);
  }

  /** Joins what was added since the last flush (a slice's worth: cheap). */
  flush(): void {
    if (this.pending.length) this.batches.push(SEP + this.pending.join(SEP));
    this.pending = [];
  }

  finish(): Haystack {
    this.flush();
    this.starts[this.count] = this.at;
    return { text: this.batches.join(''), starts: this.starts.subarray(0, this.count + 1) };
  }
}

/**
 * Collects the haystacks entry by entry, in display order: a full rebuild feeds it every entry at once,
 * a load in slices feeds it each slice as it lands (flushing per slice), so the end is a few joins.
 */
class HaystackBuilder {
  private readonly names = new HaystackParts();
  private readonly skus = new HaystackParts();
  private readonly barcodes = new HaystackParts();
  private readonly skuStarts = new Set<string>();
  private readonly barcodeStarts = new Set<string>();

  add(e: Entry): void {
    this.names.add(e.name);
    this.skus.add(e.sku ?? '');
    this.barcodes.add(e.barcodeLower);
    // Lets a word like "leche" skip scanning the codes when no SKU or barcode starts with "l".
    this.skuStarts.add(e.sku?.[0] ?? '');
    this.barcodeStarts.add(e.barcodeLower[0] ?? '');
  }

  flush(): void {
    this.names.flush();
    this.skus.flush();
    this.barcodes.flush();
  }

  /** `entries`: the ones added, in the same order. */
  finish(entries: Entry[]): Haystacks {
    return {
      entries,
      names: this.names.finish(),
      skus: this.skus.finish(),
      barcodes: this.barcodes.finish(),
      skuStarts: this.skuStarts,
      barcodeStarts: this.barcodeStarts,
    };
  }
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

interface Haystacks {
  /** The entries the haystacks were built from, in their order: position k of a haystack is entries[k]. */
  entries: Entry[];
  names: Haystack;
  skus: Haystack;
  barcodes: Haystack;
  skuStarts: Set<string>;
  barcodeStarts: Set<string>;
}

export class SearchIndex {
  private sorted: Entry[] = [];
  /**
   * By id: only edits (put, remove, get) ask, never a search or a scan, so a load leaves it to the
   * first of those (one pass over `sorted`) instead of filling a third map while the catalog opens.
   */
  private byIdMap: Map<string, Entry> | null = new Map();
  /**
   * Barcode and SKU maps, built (both at once) by the first exact lookup or code-like search rather
   * than while a catalog loads: a reopen then pays only for its rows. Kept up to date once built.
   */
  private codeMaps: { barcode: Map<string, Entry>; sku: Map<string, Entry> } | null = null;
  private hays: Haystacks | null = null;
  /** Entries put since the haystacks were built, in display order; searched by hand. */
  private fresh: Entry[] = [];
  /** Entries in the haystacks that were replaced or removed since. */
  private deadCount = 0;
  private rebuildScheduled = false;
  /** While loading: every entry so far came in display order. */
  private inOrder = true;
  /** While loading in order: the haystacks, built slice by slice. */
  private building: HaystackBuilder | null = null;

  constructor(products: Iterable<Product> = []) {
    this.load(products);
  }

  /**
   * Replaces everything. `keys[i]`, when given, is normalizeText of the i-th product's name (stored
   * with the row, or sent by main), and products already in display order are not sorted again.
   */
  load(products: Iterable<Product>, keys?: ArrayLike<string>): void {
    this.beginLoad();
    this.append(products, keys);
    this.endLoad();
  }

  /**
   * load() in pieces, for a copy that arrives in slices: each append does its slice's share of the
   * work when the slice lands, so no single step holds the page. Search only after endLoad().
   */
  beginLoad(): void {
    this.byIdMap = null;
    this.codeMaps = null;
    this.sorted = [];
    this.inOrder = true;
    this.building = new HaystackBuilder();
    this.fresh = [];
    this.deadCount = 0;
    this.hays = null;
  }

  append(products: Iterable<Product>, keys?: ArrayLike<string>): void {
    const entries = this.sorted;
    let i = 0;
    for (const product of products) {
      const entry = toEntry(product, keys?.[i++]);
      if (this.inOrder && entries.length > 0 && compare(entries[entries.length - 1]!, entry) > 0) {
        this.inOrder = false;
        this.building = null; // out of order: sorted and built once at the end instead
      }
      entries.push(entry);
      this.remember(entry);
      this.building?.add(entry);
    }
    this.building?.flush();
  }

  endLoad(): void {
    // Checking the order is one pass; sorting 50,000 names is a hundred milliseconds.
    if (this.building) this.hays = this.building.finish(this.sorted.slice());
    else {
      this.sorted.sort(compare);
      this.scheduleRebuild();
    }
    this.inOrder = true;
    this.building = null;
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Every product, in display order. */
  products(): Product[] {
    return this.sorted.map((e) => e.product);
  }

  /** Rows [offset, offset + limit) in display order, as columns (see CatalogColumns). */
  columns(offset: number, limit: number): CatalogColumns {
    const slice = this.sorted.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
    let favourites = 0;
    while (favourites < slice.length && slice[favourites]!.fav === 1) favourites++;
    return {
      ids: slice.map((e) => e.product.id),
      names: slice.map((e) => e.product.name),
      keys: slice.map((e) => e.name.slice(1)),
      prices: slice.map((e) => e.product.price),
      skus: slice.map((e) => e.product.sku),
      barcodes: slice.map((e) => e.product.barcode),
      categories: slice.map((e) => e.product.category),
      favourites,
    };
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

  /** Inserts or replaces one product in place: no haystack is rebuilt (see the file's comment). */
  put(product: Product): void {
    this.remove(product.id);
    const entry = toEntry(product);
    this.remember(entry);
    this.sorted.splice(this.position(this.sorted, entry), 0, entry);
    if (this.hays) {
      this.fresh.splice(this.position(this.fresh, entry), 0, entry);
      this.maybeCompact();
    }
  }

  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    const codes = this.codeMaps;
    if (codes && entry.barcode !== null && codes.barcode.get(entry.barcode) === entry) codes.barcode.delete(entry.barcode);
    if (codes && entry.sku !== null && codes.sku.get(entry.sku) === entry) codes.sku.delete(entry.sku);
    const at = this.position(this.sorted, entry);
    if (this.sorted[at] === entry) this.sorted.splice(at, 1);
    else this.sorted = this.sorted.filter((e) => e !== entry); // unreachable while compare is a total order
    const freshAt = this.position(this.fresh, entry);
    if (this.fresh[freshAt] === entry) this.fresh.splice(freshAt, 1);
    else if (this.hays) {
      entry.dead = true;
      this.deadCount++;
      this.maybeCompact();
    }
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
    const prefixed = new Set<Entry>();
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
          prefixed.add(e);
          take(e);
        }
      }
    }
    const need = max - out.length;
    if (need <= 0) return out.map((e) => e.product);

    const cap = need + 2; // exact matches may turn up again in a bucket
    const buckets: Entry[][] = [[], [], []];
    const full = (tier: number) => buckets[tier]!.length >= cap;
    const first = code[0] ?? '';
    const isCodePrefix = (e: Entry) => (e.sku !== null && e.sku.startsWith(code)) || e.barcodeLower.startsWith(code);
    const codeStream =
      codeLike &&
      (hays.skuStarts.has(first) ||
        hays.barcodeStarts.has(first) ||
        this.fresh.some((e) => e.sku?.[0] === first || e.barcodeLower[0] === first));
    // Fresh entries, checked by hand: a few hundred at most.
    const words = phrase === '' ? [] : phrase.split(' ');
    const freshHits: Entry[][] = [[], [], []];
    for (const e of this.fresh) {
      if (prefixed.has(e)) continue;
      if (codeStream && isCodePrefix(e)) freshHits[CODE_PREFIX]!.push(e);
      else if (words.length && words.every((w) => e.name.includes(w)))
        freshHits[words.every((w) => e.name.includes(' ' + w)) ? WORD_STARTS : SUBSTRING]!.push(e);
    }

    if (codeStream) {
      // SKU and barcode prefixes: merge both streams, each already in display order.
      const skus = new Occurrences(hays.skus, code, SEP_CHAR);
      const barcodes = new Occurrences(hays.barcodes, code, SEP_CHAR);
      let s = hays.skuStarts.has(first) ? skus.nextFrom(0) : -1;
      let b = hays.barcodeStarts.has(first) ? barcodes.nextFrom(0) : -1;
      while ((s !== -1 || b !== -1) && !full(CODE_PREFIX)) {
        const k = s === -1 ? b : b === -1 ? s : Math.min(s, b);
        if (k === s) s = skus.nextFrom(k + 1);
        if (k === b) b = barcodes.nextFrom(k + 1);
        const e = hays.entries[k]!;
        if (!e.dead && !prefixed.has(e)) buckets[CODE_PREFIX]!.push(e);
      }
    }

    if (words.length) {
      // The longest word is usually the rarest, so it drives the scan; the others are checked per hit.
      const anchorAt = words.reduce((best, w, i) => (w.length > words[best]!.length ? i : best), 0);
      const anchorWord = words[anchorAt]!;
      let anchor = new Occurrences(hays.names, anchorWord);
      let wordStartsOnly = false;
      const others = words.filter((_, i) => i !== anchorAt).map((w) => new Occurrences(hays.names, w));
      const wordStarts = words.map((w) => new Occurrences(hays.names, w, SPACE));
      for (let k = anchor.nextFrom(0); k !== -1; k = anchor.nextFrom(k + 1)) {
        const e = hays.entries[k]!;
        if (e.dead || prefixed.has(e) || !others.every((o) => o.in(k))) continue;
        if (codeStream && isCodePrefix(e)) continue; // ranked by the code stream
        const tier = wordStarts.every((o) => o.in(k)) ? WORD_STARTS : SUBSTRING;
        if (!full(tier)) buckets[tier]!.push(e);
        if (full(WORD_STARTS)) break; // later products only rank lower than what we hold
        if (full(SUBSTRING) && !wordStartsOnly) {
          // Only word starts can still improve the answer: skip the other occurrences.
          wordStartsOnly = true;
          anchor = new Occurrences(hays.names, anchorWord, SPACE);
        }
      }
    }

    for (let tier = 0; tier < buckets.length; tier++) {
      // Each bucket holds the first `cap` of its tier among the haystacks' entries, in display order;
      // merging in the fresh ones keeps it the first `cap` of the whole tier.
      const bucket = freshHits[tier]!.length ? [...buckets[tier]!, ...freshHits[tier]!].sort(compare) : buckets[tier]!;
      for (const e of bucket) {
        if (out.length >= max) break;
        take(e);
      }
    }
    return out.slice(0, max).map((e) => e.product);
  }

  /** Built on demand, and soon after a load so the first keystroke does not pay for it. */
  private haystacks(): Haystacks {
    if (this.hays) return this.hays;
    const entries = this.sorted.slice();
    const builder = new HaystackBuilder();
    for (const e of entries) {
      e.dead = false;
      builder.add(e);
    }
    this.fresh = [];
    this.deadCount = 0;
    this.hays = builder.finish(entries);
    return this.hays;
  }

  /** Too many fresh or dead entries make every search pay for them: fold them in, off the keystroke's path. */
  private maybeCompact(): void {
    if (this.fresh.length + this.deadCount <= Math.max(FRESH_LIMIT, this.sorted.length >>> 6)) return;
    this.hays = null;
    this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    if (this.rebuildScheduled) return;
    this.rebuildScheduled = true;
    const timer: unknown = setTimeout(() => {
      this.rebuildScheduled = false;
      this.haystacks();
    }, 0);
    // Under Node the rebuild must not keep a finished process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  private get byId(): Map<string, Entry> {
    if (this.byIdMap === null) {
      const map = new Map<string, Entry>();
      for (const e of this.sorted) map.set(e.product.id, e);
      this.byIdMap = map;
    }
    return this.byIdMap;
  }

  private get byBarcode(): Map<string, Entry> {
    return this.codes().barcode;
  }

  private get bySku(): Map<string, Entry> {
    return this.codes().sku;
  }

  /** In display order, later entries winning, as a load remembers them (codes are unique anyway). */
  private codes(): { barcode: Map<string, Entry>; sku: Map<string, Entry> } {
    if (this.codeMaps === null) {
      const barcode = new Map<string, Entry>();
      const sku = new Map<string, Entry>();
      for (const e of this.sorted) {
        if (e.barcode !== null) barcode.set(e.barcode, e);
        if (e.sku !== null) sku.set(e.sku, e);
      }
      this.codeMaps = { barcode, sku };
    }
    return this.codeMaps;
  }

  private remember(entry: Entry): void {
    this.byIdMap?.set(entry.product.id, entry);
    if (entry.barcode !== null) this.codeMaps?.barcode.set(entry.barcode, entry);
    if (entry.sku !== null) this.codeMaps?.sku.set(entry.sku, entry);
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

  /** First index of `list` (in display order) whose entry is not before `entry`. */
  private position(list: readonly Entry[], entry: Entry): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(list[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
