import { useTranslation } from 'react-i18next';
import type { ReconcileDifference } from '../../shared/contract';
import { useMoney } from '../lib/money';

/** One reconciliation finding in the cashier's words: what differs, how much, and on which side. */
export function DifferenceDetail({ difference: d }: { difference: ReconcileDifference }) {
  const { t } = useTranslation();
  const money = useMoney();
  const parts = [
    d.amount !== null ? money(d.amount) : null,
    d.paymentId ? t('history.diffPayment', { id: d.paymentId }) : null,
    d.saleId ? t('history.diffSale', { id: d.saleId.slice(0, 8) }) : null,
    d.journalState ? t('history.diffCaja', { state: t(`states.${d.journalState}`) }) : null,
    d.mercadoPagoStatus ? t('history.diffMP', { status: d.mercadoPagoStatus }) : null,
  ].filter((x): x is string => x !== null);
  return (
    <>
      <strong>{t(`history.diff_${d.kind}`)}</strong>
      {parts.length > 0 && <> — {parts.join(' · ')}</>}
    </>
  );
}
