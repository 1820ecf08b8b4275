import { AlertTriangle, RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { SaleView } from '../../shared/contract';
import { useMoney } from '../lib/money';
import { useSaleStore } from '../stores/sale-store';
import { useTerminalsStore } from '../stores/terminals-store';

/**
 * Payments that have not settled — after a restart, a lost answer, a dead network. Each one stays
 * here, live, until main reports how it ended; the cashier can ask again or open its status.
 */
export function UnfinishedBanner() {
  const { t } = useTranslation();
  const money = useMoney();
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
