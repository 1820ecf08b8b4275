import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleDetail } from '../../shared/contract';
import { call } from '../bridge';
import { describeError, type ShownError } from '../lib/errors';
import { parseAmount, useMoney } from '../lib/money';
import { useAppStore, selectSite } from '../stores/app-store';
import { Modal } from './Modal';
import { DialogFooter } from './DialogFooter';

/** Full or partial refund, always through an explicit confirmation: money leaves the shop here. */
export function RefundDialog({
  sale,
  onDone,
  onClose,
}: {
  sale: SaleDetail;
  onDone: (d: SaleDetail) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const site = useAppStore(selectSite);
  const available = sale.total - sale.refundedAmount;
  const [mode, setMode] = useState<'full' | 'partial'>('full');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState<number | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [working, setWorking] = useState(false);

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'full') return setConfirming(available);
    const amount = parseAmount(text, site);
    if (amount === null || amount <= 0 || amount > available)
      return setFormError(t('history.refundAvailable', { amount: money(available) }));
    setConfirming(amount);
  };

  const refund = async (amount: number) => {
    setWorking(true);
    setError(null);
    try {
      // A full refund is sent without an amount, as Mercado Pago expects for "everything left".
      const detail = await call('sales.refund', {
        saleId: sale.id,
        ...(amount === available && sale.refundedAmount === 0 ? {} : { amount }),
      });
      onDone(detail);
      onClose();
    } catch (err) {
      setError(describeError(err));
      setConfirming(null);
    } finally {
      setWorking(false);
    }
  };

  return (
    <Modal title={t('history.refundTitle')} onClose={onClose}>
      {confirming === null ? (
        <form className="form" onSubmit={review}>
          <p className="muted">{t('history.refundAvailable', { amount: money(available) })}</p>
          <label className="choice">
            <input type="radio" name="refund-mode" checked={mode === 'full'} onChange={() => setMode('full')} />
            {t('history.refundFull', { amount: money(available) })}
          </label>
          <label className="choice">
            <input type="radio" name="refund-mode" checked={mode === 'partial'} onChange={() => setMode('partial')} />
            {t('history.refundPartial')}
          </label>
          {mode === 'partial' && (
            <label className="field">
              <span>{t('history.refundAmount')}</span>
              <input
                data-autofocus
                inputMode="decimal"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setFormError(null);
                }}
              />
            </label>
          )}
          <DialogFooter formError={formError} error={error} onCancel={onClose} submitLabel={t('history.refund')} />
        </form>
      ) : (
        <div className="stack">
          <p className="charge-tell">{t('history.refundConfirm', { amount: money(confirming) })}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirming(null)} disabled={working}>
              {t('common.back')}
            </button>
            <button type="button" className="danger solid" autoFocus onClick={() => void refund(confirming)} disabled={working}>
              {t('history.refundDo', { amount: money(confirming) })}
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
