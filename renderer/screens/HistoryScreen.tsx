import { ChevronRight, Download, RefreshCw, Scale, Search } from 'lucide-react';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  SaleStateSchema,
  type HistoryFilter,
  type ReconcileReport,
  type SaleDetail,
  type SaleState,
  type SaleView,
} from '../../shared/contract';
import { call } from '../bridge';
import { DateField } from '../components/DateField';
import { ErrorNotice } from '../components/ErrorNotice';
import { Modal } from '../components/Modal';
import { ReceiptView } from '../components/ReceiptView';
import { RefundDialog } from '../components/RefundDialog';
import { StateBadge } from '../components/StateBadge';
import { downloadText, formatDateTime, localDay } from '../lib/dates';
import { describeError, type ShownError } from '../lib/errors';
import { useReasonText } from '../lib/reasons';
import { DifferenceDetail } from '../components/DifferenceDetail';
import { useMoney } from '../lib/money';
import { useShopSalesRefresh } from '../lib/use-shop-sales';
import { useAppStore } from '../stores/app-store';
import { useSaleStore } from '../stores/sale-store';
import { useTerminalsStore } from '../stores/terminals-store';

const PAGE = 50;

interface Filters {
  from: string;
  to: string;
  terminalId: string;
  state: '' | SaleState;
  text: string;
  /** `shop`: every till of the connected shop (offered only while a shop link runs). */
  scope: 'till' | 'shop';
  tillId: string;
}

function toFilter(f: Filters): HistoryFilter {
  return {
    ...(f.scope === 'shop' ? { scope: 'shop' as const, ...(f.tillId ? { tillId: f.tillId } : {}) } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.terminalId ? { terminalId: f.terminalId } : {}),
    ...(f.state ? { state: f.state } : {}),
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
  };
}

/** `shopVersion`: bumped when the shop's sales moved (another till's sale may have changed): the detail reloads. */
function SaleDetailPanel({ saleId, shopVersion = 0 }: { saleId: string; shopVersion?: number }) {
  const { t } = useTranslation();
  const money = useMoney();
  const locale = useAppStore((s) => s.locale);
  const reasonText = useReasonText();
  const terminals = useTerminalsStore((s) => s.terminals);
  // Follows the sale live: a refund or a late result changes updatedAt and the detail reloads.
  const liveVersion = useSaleStore((s) => s.sales[saleId]?.updatedAt);
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [dialog, setDialog] = useState<'refund' | 'receipt' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('sales.detail', { saleId }).then(
      (d) => live && (setDetail(d), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [saleId, liveVersion, shopVersion]);

  if (error) return <ErrorNotice error={error} />;
  if (!detail) return <p className="muted">{t('common.loading')}</p>;
  const refundable = detail.state === 'approved' && detail.total - detail.refundedAmount > 0;
  const terminal = terminals.find((x) => x.id === detail.terminalId)?.label ?? detail.terminalId ?? t('common.none');

  return (
    <section className="panel stack" aria-label={t('history.detail')} data-testid="sale-detail">
      <div className="page-head">
        <h2>
          {money(detail.total)} <StateBadge state={detail.state} />
        </h2>
        <div className="toolbar">
          <button type="button" onClick={() => setDialog('receipt')}>
            {t('history.showReceipt')}
          </button>
          {refundable && (
            <button type="button" className="danger" onClick={() => setDialog('refund')}>
              {t('history.refund')}
            </button>
          )}
        </div>
      </div>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <dl className="detail-grid">
        <dt>{t('history.time')}</dt>
        <dd>{formatDateTime(detail.createdAt, locale)}</dd>
        <dt>{t('history.terminal')}</dt>
        <dd>{terminal}</dd>
        <dt>{t('history.reference')}</dt>
        <dd>{detail.externalReference ?? t('common.none')}</dd>
        <dt>{t('history.payment')}</dt>
        <dd>{detail.paymentId ?? t('common.none')}</dd>
        <dt>{t('history.card')}</dt>
        <dd>
          {detail.cardBrand && detail.cardLast4
            ? t('charge.card', { brand: detail.cardBrand, last4: detail.cardLast4 })
            : t('common.none')}
        </dd>
        <dt>{t('history.refunded')}</dt>
        <dd>{money(detail.refundedAmount)}</dd>
        {detail.reason && (
          <>
            <dt>{t('charge.reason')}</dt>
            <dd>{reasonText(detail.reason)}</dd>
          </>
        )}
      </dl>
      <h3>{t('history.lines')}</h3>
      <table className="data">
        <tbody>
          {detail.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {l.quantity} × {l.name}
              </td>
              <td className="num">{money(l.unitPrice * l.quantity - l.discount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('history.timeline')}</h3>
      <ol className="timeline" aria-label={t('history.timeline')}>
        {detail.timeline.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at, locale, false)}</time>
            {e.state && <StateBadge state={e.state} />} {reasonText(e.reason)}
          </li>
        ))}
      </ol>
      <h3>{t('history.refunds')}</h3>
      {detail.refunds.length === 0 ? (
        <p className="muted">{t('history.noRefunds')}</p>
      ) : (
        <ul aria-label={t('history.refunds')}>
          {detail.refunds.map((r) => (
            <li key={r.id}>
              {formatDateTime(r.at, locale)} —{' '}
              {t('history.refundDone', { amount: money(r.amount), state: t(`history.refundState_${r.state}`) })}
            </li>
          ))}
        </ul>
      )}
      {dialog === 'refund' && (
        <RefundDialog
          sale={detail}
          onClose={() => setDialog(null)}
          onDone={(d) => {
            const last = d.refunds[d.refunds.length - 1];
            setDetail(d);
            if (last)
              setNotice(t('history.refundDone', { amount: money(last.amount), state: t(`history.refundState_${last.state}`) }));
          }}
        />
      )}
      {dialog === 'receipt' && (
        <Modal title={t('receipt.title')} onClose={() => setDialog(null)}>
          <ReceiptView saleId={detail.id} version={detail.updatedAt} />
          <div className="actions">
            <button type="button" onClick={() => setDialog(null)}>
              {t('common.close')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

function ReconcilePanel({ scope, tillId }: { scope: 'till' | 'shop'; tillId: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [day, setDay] = useState(localDay());
  const [report, setReport] = useState<ReconcileReport | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [working, setWorking] = useState(false);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setWorking(true);
    setError(null);
    try {
      setReport(await call('sales.reconcile', scope === 'shop' ? { day, scope, ...(tillId ? { tillId } : {}) } : { day }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="panel stack" aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">
        <Scale aria-hidden size={20} /> {t('history.reconcile')}
      </h2>
      <form className="row" onSubmit={(e) => void run(e)}>
        <DateField label={t('history.reconcileDay')} value={day} required onChange={setDay} />
        <button type="submit" className="primary" disabled={working}>
          {t('history.reconcileRun')}
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
      {report && (
        <div className="stack" data-testid="reconcile-report">
          <table className="data">
            <thead>
              <tr>
                <th />
                <th className="num">{t('history.reconcileCount')}</th>
                <th className="num">{t('history.reconcileApproved')}</th>
                <th className="num">{t('history.reconcileRefunded')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [t('history.reconcileJournal'), report.journal],
                  [t('history.reconcileMP'), report.mercadoPago],
                ] as const
              ).map(([name, side]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className="num">{side.count}</td>
                  <td className="num">{money(side.approvedTotal)}</td>
                  <td className="num">{money(side.refundedTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.differences.length === 0 ? (
            <p className="notice notice-ok">{t('history.reconcileOk')}</p>
          ) : (
            <>
              <p className="notice notice-warn">{t('history.reconcileDiffs', { count: report.differences.length })}</p>
              <ul aria-label={t('history.reconcileDiffs', { count: report.differences.length })}>
                {report.differences.map((d, i) => (
                  <li key={i}>
                    {d.tillName && <strong>{d.tillName}: </strong>}
                    <DifferenceDetail difference={d} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** Today's and past sales, one sale's journal, refunds, export and the end-of-shift check. */
export function HistoryScreen() {
  const { t } = useTranslation();
  const money = useMoney();
  const locale = useAppStore((s) => s.locale);
  const terminals = useTerminalsStore((s) => s.terminals);
  const liveSales = useSaleStore((s) => s.sales);
  const today = localDay();
  const [filters, setFilters] = useState<Filters>({
    from: today,
    to: today,
    terminalId: '',
    state: '',
    text: '',
    scope: 'till',
    tillId: '',
  });
  // The shop's tills while a shop link runs the whole-shop history (its answer lists them); null: a single register.
  const [shopTills, setShopTills] = useState<{ id: string; name: string }[] | null>(null);
  const [applied, setApplied] = useState<Filters>(filters);
  const [items, setItems] = useState<SaleView[]>([]);
  const [total, setTotal] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (f: Filters, offset = 0) => {
    try {
      const page = await call('sales.history', { ...toFilter(f), limit: PAGE, offset });
      setItems((prev) => (offset === 0 ? page.items : [...prev, ...page.items]));
      setTotal(page.total);
      if (page.tills) setShopTills(page.tills);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  // Is there a shop? Only the whole-shop history answers with its tills; a single register's does not.
  useEffect(() => {
    call('sales.history', { scope: 'shop', limit: 1 }).then(
      (page) => setShopTills(page.tills ?? null),
      () => undefined,
    );
  }, []);
  const shopWide = applied.scope === 'shop' && shopTills !== null;

  // Whole shop, live: when the tills push sales (shop.salesChanged, once per burst), the rows shown are
  // read again with the filters applied, as many as are loaded, in place: the open sale, the scroll and
  // the filters being typed stay as they are. A failure keeps the rows (Search says what is wrong).
  const appliedNow = useRef(applied);
  appliedNow.current = applied;
  const [shopVersion, setShopVersion] = useState(0);
  useShopSalesRefresh(shopWide, async () => {
    const asked = applied;
    const shown = items.length;
    const page = await call('sales.history', { ...toFilter(asked), limit: Math.min(500, Math.max(PAGE, shown)), offset: 0 });
    // The cashier searched meanwhile: that answer is the one to show.
    if (appliedNow.current !== asked) return;
    const fresh = new Set(page.items.map((s) => s.id));
    setItems((prev) => [...page.items, ...prev.slice(page.items.length).filter((s) => !fresh.has(s.id))]);
    setTotal(page.total);
    if (page.tills) setShopTills(page.tills);
    setShopVersion((v) => v + 1);
  });

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const exportCsv = async () => {
    try {
      // The export is this till's journal (its own sales), whatever the screen shows.
      const { filename, csv } = await call('sales.exportCsv', { ...toFilter({ ...applied, scope: 'till' }), limit: 500 });
      downloadText(filename, csv);
      setNotice(t('history.exported', { file: filename }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('history.title')}</h1>
        <div className="toolbar">
          <button type="button" onClick={() => void load(applied)} aria-label={t('common.retry')}>
            <RefreshCw aria-hidden size={18} />
          </button>
          <button type="button" onClick={() => void exportCsv()}>
            <Download aria-hidden size={18} /> {t('history.export')}
          </button>
        </div>
      </div>
      <form
        className="panel form-grid"
        aria-label={t('history.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setSelected(null);
          setApplied({ ...filters });
        }}
      >
        {shopTills && (
          <fieldset className="field segmented" data-testid="history-scope">
            <legend>{t('history.scope')}</legend>
            {(['till', 'shop'] as const).map((s) => (
              <label key={s}>
                <input
                  type="radio"
                  name="history-scope"
                  value={s}
                  checked={filters.scope === s}
                  onChange={() => {
                    setSelected(null);
                    const next = { ...filters, scope: s, tillId: '' };
                    setFilters(next);
                    setApplied(next);
                  }}
                />{' '}
                {t(s === 'till' ? 'history.scopeTill' : 'history.scopeShop')}
              </label>
            ))}
          </fieldset>
        )}
        {shopTills && filters.scope === 'shop' && (
          <label className="field">
            <span>{t('history.till')}</span>
            <select value={filters.tillId} onChange={(e) => set('tillId', e.target.value)}>
              <option value="">{t('history.any')}</option>
              {shopTills.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <DateField label={t('history.from')} value={filters.from} onChange={(d) => set('from', d)} />
        <DateField label={t('history.to')} value={filters.to} onChange={(d) => set('to', d)} />
        <label className="field">
          <span>{t('history.terminal')}</span>
          <select value={filters.terminalId} onChange={(e) => set('terminalId', e.target.value)}>
            <option value="">{t('history.any')}</option>
            {terminals.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.state')}</span>
          <select value={filters.state} onChange={(e) => set('state', e.target.value as Filters['state'])}>
            <option value="">{t('history.any')}</option>
            {SaleStateSchema.options.map((s) => (
              <option key={s} value={s}>
                {t(`states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('history.text')}</span>
          <input
            type="search"
            value={filters.text}
            placeholder={t('history.textPlaceholder')}
            onChange={(e) => set('text', e.target.value)}
          />
        </label>
        <button type="submit" className="primary">
          <Search aria-hidden size={18} /> {t('history.apply')}
        </button>
      </form>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <div className="split">
        <section className="panel stack">
          <p className="muted">{t('history.count', { count: total })}</p>
          {items.length === 0 ? (
            <p className="muted">{t('history.empty')}</p>
          ) : (
            <table className="data" aria-label={t('history.title')}>
              <thead>
                <tr>
                  <th>{t('history.time')}</th>
                  <th className="num">{t('history.total')}</th>
                  <th>{t('history.state')}</th>
                  <th>{t('history.terminal')}</th>
                  {shopWide && <th>{t('history.till')}</th>}
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const sale = liveSales[item.id] && liveSales[item.id]!.updatedAt >= item.updatedAt ? liveSales[item.id]! : item;
                  const time = formatDateTime(sale.createdAt, locale);
                  return (
                    <tr key={sale.id} className={sale.id === selected ? 'selected' : undefined}>
                      <td>{time}</td>
                      <td className="num">
                        {money(sale.total)}
                        {sale.refundedAmount > 0 && <div className="muted">− {money(sale.refundedAmount)}</div>}
                      </td>
                      <td>
                        <StateBadge state={sale.state} />
                      </td>
                      <td>{terminals.find((x) => x.id === sale.terminalId)?.label ?? sale.terminalId ?? t('common.none')}</td>
                      {shopWide && <td>{item.tillName ?? sale.register}</td>}
                      <td className="num">
                        <button
                          type="button"
                          onClick={() => setSelected(sale.id)}
                          aria-label={t('history.open', { amount: money(sale.total), time })}
                        >
                          <ChevronRight aria-hidden size={20} />
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {items.length < total && (
            <button type="button" onClick={() => void load(applied, items.length)}>
              {t('history.more')}
            </button>
          )}
        </section>
        <div className="stack side">
          {selected && <SaleDetailPanel key={selected} saleId={selected} shopVersion={shopWide ? shopVersion : 0} />}
          <ReconcilePanel scope={shopWide ? 'shop' : 'till'} tillId={applied.tillId} />
        </div>
      </div>
    </div>
  );
}
