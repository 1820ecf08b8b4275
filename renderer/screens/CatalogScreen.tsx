import { FileUp, Pencil, Plus, Star, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { MAX_IMPORT_BYTES, type ImportPreview, type ImportProblem, type Product, type ProductInput } from '../../shared/contract';
import { minorToDecimalString } from '../../shared/money';
import { call, subscribe } from '../bridge';
import { ErrorNotice } from '../components/ErrorNotice';
import { Modal } from '../components/Modal';
import { describeError, type ShownError } from '../lib/errors';
import { parseAmount, useMoney } from '../lib/money';
import { selectSite, useAppStore } from '../stores/app-store';
import { DialogFooter } from '../components/DialogFooter';
import { productLocally } from '../stores/catalog-index';

const PAGE = 50;

function ProductDialog({ product, onSaved, onClose }: { product: Product | null; onSaved: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const site = useAppStore(selectSite);
  const formOf = (p: Product | null) => ({
    name: p?.name ?? '',
    price: p ? minorToDecimalString(p.price, site) : '',
    sku: p?.sku ?? '',
    barcode: p?.barcode ?? '',
    category: p?.category ?? '',
    favourite: p?.favourite ?? false,
  });
  const [form, setForm] = useState(() => formOf(product));
  const [error, setError] = useState<ShownError | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // The product as this dialog last showed it: main checks versions only from the moment it saves,
  // so a change another till made while the dialog was open is caught here, against the local copy.
  const [shown, setShown] = useState(product);
  const changedMeanwhile = (now: Product | null | undefined) => {
    if (now) setForm(formOf(now));
    setShown(now ?? null);
    setError(null);
    setFormError(t(now ? 'catalog.conflictShown' : 'catalog.conflictDeleted'));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const price = parseAmount(form.price, site);
    if (!form.name.trim()) return setFormError(t('catalog.nameRequired'));
    if (price === null) return setFormError(t('cart.invalidAmount'));
    if (product && shown) {
      const now = productLocally(product.id);
      const same = (a: Product, b: Product) =>
        a.name === b.name && a.price === b.price && a.sku === b.sku && a.barcode === b.barcode && a.category === b.category && a.favourite === b.favourite;
      if (now === null || (now && !same(now, shown))) return changedMeanwhile(now);
    }
    const input: ProductInput = {
      ...(product ? { id: product.id } : {}),
      name: form.name.trim(),
      price,
      sku: form.sku.trim() || null,
      barcode: form.barcode.trim() || null,
      category: form.category.trim() || null,
      favourite: form.favourite,
    };
    try {
      await call('catalog.upsert', input);
      onSaved();
      onClose();
    } catch (err) {
      const refused = describeError(err);
      // Another till saved first: main has already put its values in this till's copy; show them.
      const now = refused.code === 'CATALOG_CONFLICT' && product ? productLocally(product.id) : undefined;
      if (now !== undefined) return changedMeanwhile(now);
      setError(refused);
    }
  };

  const text = (key: 'name' | 'price' | 'sku' | 'barcode' | 'category', max: number, extra?: object) => (
    <label className="field">
      <span>{t(`catalog.${key}`)}</span>
      <input value={form[key]} maxLength={max} onChange={(e) => setForm({ ...form, [key]: e.target.value })} {...extra} />
    </label>
  );

  return (
    <Modal title={product ? t('catalog.editTitle') : t('catalog.addTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)}>
        {text('name', 80, { 'data-autofocus': true, required: true })}
        {text('price', 20, { inputMode: 'decimal', required: true })}
        {text('sku', 40)}
        {text('barcode', 40, { inputMode: 'numeric' })}
        {text('category', 40)}
        <label className="field-check">
          <input type="checkbox" checked={form.favourite} onChange={(e) => setForm({ ...form, favourite: e.target.checked })} />
          {t('catalog.favourite')}
        </label>
        <DialogFooter formError={formError} error={error} onCancel={onClose} submitLabel={t('common.save')} />
      </form>
    </Modal>
  );
}

/**
 * One CSV row problem in the manager's language: main sends its code and values (csv-import.ts),
 * never a sentence. A column named in it is worded too.
 */
export function problemText(t: TFunction, p: ImportProblem): string {
  const { code, field, ...values } = p;
  return t(`catalog.problems.${code}`, { ...values, field: field ? t(`catalog.${field}`) : '' });
}

const MIB = 1024 * 1024;
/** A pasted or loaded text this long is not shown in the text box (it would only slow the page). */
const SHOWN_TEXT_CHARS = 200_000;

/**
 * CSV import in two steps: main checks every row and answers a summary with the first rows and
 * problems; Import is only offered for a file without a single bad row. main refuses a partial
 * import (and a file over the size limit) too; this just says so first.
 */
function ImportDialog({ onImported, onClose }: { onImported: (n: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewed, setPreviewed] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [working, setWorking] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setWorking(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  };

  const doPreview = () => {
    // Pasted text has no file size to check on choosing: count its bytes as main will.
    const bytes = new Blob([csv]).size;
    if (bytes > MAX_IMPORT_BYTES) {
      const text = t('hardening.fileTooBig', { size: (bytes / MIB).toFixed(1), mib: MAX_IMPORT_BYTES / MIB });
      setError({ code: 'INVALID_INPUT', text, detail: null });
      return Promise.resolve();
    }
    return run(async () => {
      setPreview(await call('catalog.importPreview', { csv }));
      setPreviewed(csv);
    });
  };

  const commit = () =>
    run(async () => {
      const { imported } = await call('catalog.importCommit', { csv: previewed });
      onImported(imported);
      onClose();
    });

  // Import is allowed only for exactly the text that was previewed clean.
  const canCommit = preview !== null && preview.invalid === 0 && preview.valid > 0 && previewed === csv && !working;

  return (
    <Modal title={t('catalog.importTitle')} onClose={onClose} wide>
      <p className="muted">
        {t('catalog.importHelp')} {t('hardening.importLimit', { mib: MAX_IMPORT_BYTES / MIB })}
      </p>
      <label className="field">
        <span>{t('catalog.importFile')}</span>
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setPreview(null);
            if (file.size > MAX_IMPORT_BYTES) {
              // Refused before reading: a file over the limit is never loaded into the page.
              setCsv('');
              const text = t('hardening.fileTooBig', { size: (file.size / MIB).toFixed(1), mib: MAX_IMPORT_BYTES / MIB });
              setError({ code: 'INVALID_INPUT', text, detail: null });
              return;
            }
            setError(null);
            void file.text().then((text) => setCsv(text));
          }}
        />
      </label>
      <label className="field">
        <span>{t('catalog.importText')}</span>
        {csv.length > SHOWN_TEXT_CHARS ? (
          <p className="muted" data-testid="import-loaded">
            {(new Blob([csv]).size / MIB).toFixed(1)} MiB
          </p>
        ) : (
          <textarea value={csv} onChange={(e) => setCsv(e.target.value)} spellCheck={false} />
        )}
      </label>
      <div className="actions">
        <button type="button" onClick={() => void doPreview()} disabled={!csv.trim() || working}>
          {t('catalog.preview')}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {preview && (
        <div className="stack" data-testid="import-preview">
          <p className={preview.invalid ? 'notice notice-error' : 'notice notice-ok'} role="status">
            {t('catalog.valid', { valid: preview.valid, invalid: preview.invalid })}
          </p>
          {preview.invalid > 0 && <p className="form-error">{t('catalog.commitBlocked')}</p>}
          {preview.truncated && <p className="muted">{t('hardening.importSample', { total: preview.total })}</p>}
          <div className="scroll-box">
            <table className="data" aria-label={t('catalog.preview')}>
              <thead>
                <tr>
                  <th className="num">{t('catalog.line')}</th>
                  <th>{t('catalog.name')}</th>
                  <th className="num">{t('catalog.price')}</th>
                  <th>{t('catalog.barcode')}</th>
                  <th>{t('catalog.errors')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.line} className={row.errors.length ? 'bad' : undefined}>
                    <td className="num">{row.line}</td>
                    <td>{row.product?.name ?? ''}</td>
                    <td className="num">{row.product ? money(row.product.price) : ''}</td>
                    <td>{row.product?.barcode ?? ''}</td>
                    <td>{row.errors.length ? row.errors.map((p) => problemText(t, p)).join('; ') : t('catalog.ok')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="primary" disabled={!canCommit} onClick={() => void commit()}>
          {t('catalog.commit', { count: preview?.valid ?? 0 })}
        </button>
      </div>
    </Modal>
  );
}

/** The manager's product list: add, edit, delete, import. Paged, so 50,000 products list as fast as 50. */
export function CatalogScreen() {
  const { t } = useTranslation();
  const money = useMoney();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const [items, setItems] = useState<Product[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ShownError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<
    { kind: 'edit'; product: Product | null } | { kind: 'delete'; product: Product } | { kind: 'import' } | null
  >(null);

  const load = useCallback(async () => {
    try {
      if (query.trim()) {
        setItems(await call('catalog.search', { query, limit: PAGE }));
      } else {
        const list = await call('catalog.list', { offset: page * PAGE, limit: PAGE });
        setItems(list.items);
        setTotal(list.total);
      }
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [query, page]);

  useEffect(() => {
    void load();
  }, [load]);
  // Edits from this till or another one (shared catalog) show without leaving the screen.
  useEffect(() => subscribe('catalog.changed', () => void load()), [load]);

  const pages = Math.max(1, Math.ceil(total / PAGE));

  const remove = async (product: Product) => {
    try {
      await call('catalog.delete', { id: product.id });
      setDialog(null);
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {t('catalog.title')} <span className="muted">· {t('catalog.count', { count: total })}</span>
        </h1>
        <div className="toolbar">
          <button type="button" onClick={() => setDialog({ kind: 'import' })}>
            <FileUp aria-hidden size={18} /> {t('catalog.import')}
          </button>
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'edit', product: null })}>
            <Plus aria-hidden size={18} /> {t('catalog.add')}
          </button>
        </div>
      </div>
      <input
        type="search"
        aria-label={t('catalog.search')}
        placeholder={t('catalog.search')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setPage(0);
        }}
      />
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <section className="panel">
        <table className="data" aria-label={t('catalog.title')}>
          <thead>
            <tr>
              <th>{t('catalog.name')}</th>
              <th className="num">{t('catalog.price')}</th>
              <th>{t('catalog.sku')}</th>
              <th>{t('catalog.barcode')}</th>
              <th>{t('catalog.category')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.favourite && <Star aria-label={t('catalog.favourite')} size={14} className="fav-star" />} {p.name}
                </td>
                <td className="num">{money(p.price)}</td>
                <td>{p.sku ?? ''}</td>
                <td>{p.barcode ?? ''}</td>
                <td>{p.category ?? ''}</td>
                <td className="num">
                  <span className="toolbar cell-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`${t('common.edit')} ${p.name}`}
                      onClick={() => setDialog({ kind: 'edit', product: p })}
                    >
                      <Pencil aria-hidden size={18} />
                    </button>
                    <button
                      type="button"
                      className="icon-button danger"
                      aria-label={`${t('common.delete')} ${p.name}`}
                      onClick={() => setDialog({ kind: 'delete', product: p })}
                    >
                      <Trash2 aria-hidden size={18} />
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!query.trim() && (
          <div className="row pager">
            <button type="button" onClick={() => setPage((p) => p - 1)} disabled={page === 0}>
              {t('catalog.prev')}
            </button>
            <span>{t('catalog.page', { page: page + 1, pages })}</span>
            <button type="button" onClick={() => setPage((p) => p + 1)} disabled={page + 1 >= pages}>
              {t('catalog.next')}
            </button>
          </div>
        )}
      </section>
      {dialog?.kind === 'edit' && (
        <ProductDialog product={dialog.product} onSaved={() => void load()} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'delete' && (
        <Modal title={t('catalog.deleteConfirm', { name: dialog.product.name })} onClose={() => setDialog(null)}>
          <div className="actions">
            <button type="button" onClick={() => setDialog(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger solid" onClick={() => void remove(dialog.product)}>
              {t('common.delete')}
            </button>
          </div>
        </Modal>
      )}
      {dialog?.kind === 'import' && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={(n) => {
            setNotice(t('catalog.imported', { count: n }));
            void load();
          }}
        />
      )}
    </div>
  );
}
