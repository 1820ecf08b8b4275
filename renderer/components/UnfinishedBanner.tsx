import { AlertTriangle, Check, RefreshCw, Scale } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { SaleView } from '../../shared/contract';
import { useMoney } from '../lib/money';
import { useReasonText } from '../lib/reasons';
import { DifferenceDetail } from './DifferenceDetail';
import { useSaleStore } from '../stores/sale-store';
import { useTerminalsStore } from '../stores/terminals-store';

/**
 * Payments that have not settled — after a restart, a lost answer, a dead network, or closed by hand
 * without evidence — and what reconciliation found (money without a sale, a sale without its money).
 * Each stays here until main reports how it ended or a person acknowledges the finding.
 */
export function UnfinishedBanner() {
  return (
    <>
      <UnsettledSales />
      <AttentionFindings />
    </>
  );
}

function AttentionFindings() {
  const { t } = useTranslation();
  const items = useSaleStore((s) => s.attention);
  if (items.length === 0) return null;
  const { acknowledge, open } = useSaleStore.getState();
  return (
    <section
      className="banner banner-attention"
      role="region"
      aria-label={t('unfinished.attentionTitle', { count: items.length })}
      data-testid="attention-banner"
    >
      <h2>
        <Scale aria-hidden size={20} /> {t('unfinished.attentionTitle', { count: items.length })}
      </h2>
      <ul>
        {items.map((item) => (
          <li key={item.id} data-kind={item.kind}>
            <span>
              <DifferenceDetail difference={item} />
            </span>
            <span className="banner-actions">
              {item.saleId && (
                <button type="button" onClick={() => open(item.saleId!)}>
                  {t('unfinished.open')}
                </button>
              )}
              <button type="button" onClick={() => void acknowledge(item.id)}>
                <Check aria-hidden size={16} /> {t('unfinished.acknowledge')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function UnsettledSales() {
  const { t } = useTranslation();
  const money = useMoney();
  const reasonText = useReasonText();
  const ids = useSaleStore((s) => s.unfinishedIds);
  const sales = useSaleStore((s) => s.sales);
  const activeSaleId = useSaleStore((s) => s.activeSaleId);
  const busy = useSaleStore((s) => s.busy);
  const terminals = useTerminalsStore((s) => s.terminals);
  const shown = ids.map((id) => sales[id]).filter((s): s is SaleView => s !== undefined && s.id !== activeSaleId);
  if (shown.length === 0) return null;
  const { recheck, open } = useSaleStore.getState();

  return (
    <section
      className="banner"
      role="region"
      aria-label={t('unfinished.title', { count: shown.length })}
      data-testid="unfinished-banner"
    >
      <h2>
        <AlertTriangle aria-hidden size={20} /> {t('unfinished.title', { count: shown.length })}
      </h2>
      <ul>
        {shown.map((sale) => (
          <li key={sale.id} data-state={sale.state}>
            <span>
              {t('unfinished.item', {
                amount: money(sale.total),
                terminal: terminals.find((x) => x.id === sale.terminalId)?.label ?? sale.terminalId ?? '—',
                state: t(`states.${sale.state}`),
              })}
              {sale.reason && <span className="muted banner-reason"> {reasonText(sale.reason)}</span>}
            </span>
            <span className="banner-actions">
              <button type="button" onClick={() => void recheck(sale.id)} disabled={busy === 'recheck'}>
                <RefreshCw aria-hidden size={16} /> {t('unfinished.check')}
              </button>
              <button type="button" onClick={() => open(sale.id)}>
                {t('unfinished.open')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
