import { Search, Star } from 'lucide-react';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/contract';
import { call } from '../bridge';
import { markFirstScreen } from '../first-screen';
import { quickKeysNow, refreshQuickKeys, subscribeQuickKeys } from '../quick-keys';
import { useMoney } from '../lib/money';
import { ensureCatalogSync, lookupLocally, searchLocally } from '../stores/catalog-index';
import { useAppStore } from '../stores/app-store';
import { useCartStore } from '../stores/cart-store';

/** Bounded so a 50,000-product catalog searches as fast as a 50-product one. */
export const RESULT_LIMIT = 50;
/**
 * One element for the box's icon: ProductSearch renders on every keystroke and an icon rebuilt each
 * time was ~2 ms of it (lucide maps its SVG attributes per render); the same element is skipped.
 */
const SEARCH_ICON = <Search aria-hidden size={22} />;
/** Every result row is this tall (styles.css `.results li`), so the visible slice is arithmetic. */
const ROW_PX = 56;
/** Rows kept mounted above and below the visible ones, so a short scroll never shows a gap. */
const OVERSCAN = 3;
/** Rows drawn before the list's height is known (a 1280×800 screen shows about ten). */
const FIRST_GUESS_PX = ROW_PX * 10;

const ResultButton = memo(function ResultButton({
  product,
  active,
  price,
  position,
  total,
  onPick,
}: {
  product: Product;
  active: boolean;
  price: string;
  position: number;
  total: number;
  onPick: (p: Product) => void;
}) {
  return (
    <li aria-posinset={position} aria-setsize={total}>
      <button
        type="button"
        className={active ? 'result active' : 'result'}
        aria-current={active || undefined}
        tabIndex={-1}
        onClick={() => onPick(product)}
      >
        <span className="result-text">
          <span className="result-name">{product.name}</span>
          <span className="result-code">{product.barcode ?? product.sku ?? ''}</span>
        </span>
        <span className="result-price">{price}</span>
      </button>
    </li>
  );
});

/** The favourites as big buttons; memoized, so clearing the box does not rebuild twelve keys and icons. */
const QuickKeys = memo(function QuickKeys({ favourites, onPick }: { favourites: Product[]; onPick: (p: Product) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <div className="favourites">
      <h2>{t('search.favourites')}</h2>
      {favourites.length ? (
        <ul className="quick-keys">
          {favourites.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="quick-key"
                onClick={() => onPick(p)}
                aria-label={t('search.add', { name: p.name })}
              >
                <Star aria-hidden size={14} />
                <span className="quick-key-name">{p.name}</span>
                <span className="quick-key-price">{money(p.price)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('search.noFavourites')}</p>
      )}
    </div>
  );
});

/**
 * Only the rows that can be seen are in the DOM, and they are keyed by position: the next keystroke's
 * results reuse the same ~15 rows (React patches their text) instead of unmounting 50 and mounting 50,
 * which was the slow tail of a keystroke. Hand-written rather than a windowing library: the rows have
 * one fixed height and the list is at most RESULT_LIMIT long, so the window is two divisions; a library
 * would bring measuring and a dependency for nothing this list needs.
 */
function ResultList({
  results,
  active,
  query,
  onPick,
}: {
  results: Product[];
  active: number;
  query: string;
  onPick: (p: Product) => void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FIRST_GUESS_PX);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const observer = new ResizeObserver(([entry]) => entry && setHeight(entry.contentRect.height || FIRST_GUESS_PX));
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  // A new answer starts at its top. Only touched when scrolled: writing scrollTop forces a layout
  // inside the keystroke's frame, and `scrollTop` (state) already says where the list is.
  useLayoutEffect(() => {
    if (scrollTop === 0) return;
    if (listRef.current) listRef.current.scrollTop = 0;
    setScrollTop(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new answer resets the scroll
  }, [results]);

  // The highlighted row (moved with ↑/↓) is always scrolled into view.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const top = active * ROW_PX;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_PX > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_PX - list.clientHeight;
  }, [active]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(results.length, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const p = results[i]!;
    rows.push(
      <ResultButton
        key={i}
        product={p}
        active={i === active}
        price={money(p.price)}
        position={i + 1}
        total={results.length}
        onPick={onPick}
      />,
    );
  }
  return (
    <ul
      ref={listRef}
      className="results"
      aria-label={t('search.results')}
      data-testid="search-results"
      data-query={query}
      // A list that scrolls must be reachable by keyboard (WCAG 2.1.1); its rows are not tab stops.
      tabIndex={0}
      // Rows above and below the window are empty space of their exact height, so the scrollbar is true.
      style={{ paddingTop: first * ROW_PX, paddingBottom: (results.length - last) * ROW_PX }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      {rows}
    </ul>
  );
}

/**
 * The search box is also where a USB barcode scanner types: digits then Enter. Enter first asks main
 * for an exact barcode/SKU match; failing that it adds the highlighted result. Answers to older
 * keystrokes are dropped so a fast typist never sees results for a query they already changed.
 */
export function ProductSearch() {
  const { t } = useTranslation();
  const addProduct = useCartStore((s) => s.addProduct);
  const focusTick = useAppStore((s) => s.focusSearchTick);
  const inputRef = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Product[]>([]);
  /** The query the shown results answer (the benchmark waits on it; stale answers never land). */
  const [resultsFor, setResultsFor] = useState('');
  const [active, setActive] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const { favourites, answered: favouritesAnswered } = useSyncExternalStore(subscribeQuickKeys, quickKeysNow);

  useEffect(() => {
    inputRef.current?.focus();
  }, [focusTick]);

  useEffect(() => {
    ensureCatalogSync();
    refreshQuickKeys();
  }, []);

  // The quick keys (or their failure) are on screen: the first screen is complete.
  useEffect(() => {
    if (favouritesAnswered) markFirstScreen();
  }, [favouritesAnswered]);

  const search = (text: string) => {
    const n = ++seq.current;
    if (!text.trim()) {
      setResults([]);
      return;
    }
    const show = (list: Product[]) => {
      if (n !== seq.current) return;
      setResults(list);
      setResultsFor(text);
      setActive(0);
    };
    // The local copy answers in the keystroke's own frame; main answers until the copy has arrived.
    const local = searchLocally(text, RESULT_LIMIT);
    if (local) show(local);
    else call('catalog.search', { query: text, limit: RESULT_LIMIT }).then(show, () => undefined);
  };

  // Stable, so the memoized result rows are not all redrawn because of a new callback.
  const pick = useCallback(
    (p: Product) => {
      addProduct(p);
      seq.current++;
      setQuery('');
      setResults([]);
      setNotice(null);
      inputRef.current?.focus();
    },
    [addProduct],
  );

  const onKeyDown = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (results.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length);
      return;
    }
    if (e.key === 'Escape' && query) {
      e.stopPropagation();
      seq.current++;
      setQuery('');
      setResults([]);
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const code = query.trim();
    if (!code) return;
    const highlighted = results[active];
    const n = ++seq.current;
    let exact: Product | null = null;
    if (code.length <= 40 && !/\s/.test(code)) {
      const local = lookupLocally(code);
      exact = local !== undefined ? local : await call('catalog.lookup', { code }).catch(() => null);
    }
    if (n !== seq.current) return;
    if (exact) pick(exact);
    else if (highlighted) pick(highlighted);
    else setNotice(t('search.notFound', { code }));
  };

  return (
    <section className="search" aria-label={t('search.label')}>
      <div className="search-box">
        {SEARCH_ICON}
        <input
          ref={inputRef}
          type="search"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setNotice(null);
            search(e.target.value);
          }}
          onKeyDown={(e) => void onKeyDown(e)}
        />
      </div>
      {notice && (
        <p className="notice notice-warn" role="status">
          {notice}
        </p>
      )}
      {query.trim() ? (
        <>
          <ResultList results={results} active={active} query={resultsFor} onPick={pick} />
          {results.length === 0 && !notice && <p className="muted">{t('search.none', { query })}</p>}
          {results.length === RESULT_LIMIT && <p className="muted">{t('search.more', { count: RESULT_LIMIT })}</p>}
        </>
      ) : (
        <QuickKeys favourites={favourites} onPick={pick} />
      )}
    </section>
  );
}
