import {
  AlertTriangle,
  CheckCircle2,
  CircleSlash,
  ClipboardCheck,
  Clock,
  CreditCard,
  Loader2,
  RefreshCw,
  XCircle,
} from 'lucide-react';
import { useEffect, useRef, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleState } from '../../shared/contract';
import type { ReasonCode } from '../../shared/reasons';
import { newSale, startCharge } from '../lib/charge';
import { useReasonText } from '../lib/reasons';
import { useMoney } from '../lib/money';
import { cartTotals, useCartStore } from '../stores/cart-store';
import { isFinal, isRetryable, useSaleStore } from '../stores/sale-store';
import { unavailable, useTerminalsStore } from '../stores/terminals-store';
import { useAppStore } from '../stores/app-store';
import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import { ReceiptView } from './ReceiptView';
import { TerminalPicker } from './TerminalPicker';

const ICONS: Record<SaleState, ComponentType<{ size?: number; 'aria-hidden'?: boolean; className?: string }>> = {
  draft: Loader2,
  sending: Loader2,
  at_terminal: CreditCard,
  processing: Loader2,
  approved: CheckCircle2,
  rejected: XCircle,
  cancelled: CircleSlash,
  expired: Clock,
  failed: AlertTriangle,
  unknown: RefreshCw,
  resolved: ClipboardCheck,
};

const TONE: Record<SaleState, string> = {
  draft: 'wait',
  sending: 'wait',
  at_terminal: 'wait',
  processing: 'wait',
  approved: 'ok',
  rejected: 'bad',
  cancelled: 'neutral',
  expired: 'neutral',
  failed: 'bad',
  unknown: 'warn',
  resolved: 'warn',
};

/** Reasons worth reading while the charge is still live (the others repeat the state's own line). */
const LIVE_NOTABLE: ReadonlySet<ReasonCode> = new Set(['notTaken', 'tryAnotherCard', 'reviewing', 'cancelling']);

/**
 * The full-screen status of one charge, driven only by `sale.changed`: what is happening, what to
 * tell the customer, and the one or two things the cashier can do now.
 */
export function ChargeStatus() {
  const { t } = useTranslation();
  const money = useMoney();
  const reasonText = useReasonText();
  const activeSaleId = useSaleStore((s) => s.activeSaleId);
  const sending = useSaleStore((s) => s.sending);
  const sale = useSaleStore((s) => (s.activeSaleId ? s.sales[s.activeSaleId] : undefined));
  const busy = useSaleStore((s) => s.busy);
  const actionError = useSaleStore((s) => s.actionError);
  const terminals = useTerminalsStore((s) => s.terminals);
  const cartTotal = useCartStore((s) => cartTotals(s.lines, s.cartDiscount).total);
  const [choosing, setChoosing] = useState(false);
  const [otherId, setOtherId] = useState<string | null>(null);
  /** "Cancel and use another terminal": the picker opens once Mercado Pago confirms the cancel. */
  const [switchAfterCancel, setSwitchAfterCancel] = useState(false);
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState('');
  const primary = useRef<HTMLButtonElement>(null);

  const state: SaleState = sending ? 'sending' : (sale?.state ?? 'sending');
  const terminalId = sending?.terminalId ?? sale?.terminalId ?? null;
  const terminal = terminals.find((x) => x.id === terminalId);
  const terminalLabel = terminal?.label ?? terminalId ?? '';
  const amount = sale && !sending ? sale.total : cartTotal;

  useEffect(() => {
    setChoosing(switchAfterCancel && isRetryable(state));
    if (isFinal(state)) setSwitchAfterCancel(false);
    setResolving(false);
    primary.current?.focus();
    // Only a change of state or sale re-decides what is open; the flag is read, not watched.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, activeSaleId]);

  if (!sending && !activeSaleId) return null;

  const Icon = ICONS[state];
  const tone = TONE[state];
  const { close, cancel, recheck, resolve } = useSaleStore.getState();
  const reasonCode = sale?.reason?.code ?? null;
  const live = state === 'sending' || state === 'at_terminal' || state === 'processing';
  const cancelling = reasonCode === 'cancelling';
  const showReason =
    !!sale &&
    !sending &&
    reasonCode !== null &&
    (live ? LIVE_NOTABLE.has(reasonCode) : state !== 'approved' || reasonCode !== 'approved');
  const register = useAppStore.getState().settings?.registerId ?? null;
  const retry = (id: string) => {
    setChoosing(false);
    startCharge(id);
  };

  return (
    <div
      className={`charge-overlay tone-${tone}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby="charge-title"
      data-state={state}
    >
      <div className={state === 'approved' && sale ? 'charge-card with-receipt' : 'charge-card'}>
        <div className="charge-main">
          <div className="charge-head" role="status" aria-live="polite">
            <Icon aria-hidden size={64} className={tone === 'wait' && state !== 'at_terminal' ? 'spin' : undefined} />
            <h2 id="charge-title" data-testid="charge-state">
              {t(`charge.${state}`)}
            </h2>
          </div>
          <p className="charge-amount">{money(amount)}</p>
          {terminalLabel && <p className="muted">{t('charge.on', { terminal: terminalLabel })}</p>}
          {/* The resolve form replaces the advice so the card still fits a till's screen. */}
          {t(`charge.${state}Tell`) && !resolving && <p className="charge-tell">{t(`charge.${state}Tell`)}</p>}
          {showReason && (
            <p
              className={reasonCode === 'notTaken' ? 'charge-reason notice notice-warn' : 'charge-reason'}
              data-testid="charge-reason"
              data-reason={reasonCode}
            >
              {reasonText(sale.reason)}
            </p>
          )}
          {sale?.cardBrand && sale.cardLast4 && state === 'approved' && (
            <p className="muted">{t('charge.card', { brand: sale.cardBrand, last4: sale.cardLast4 })}</p>
          )}
          {state === 'at_terminal' && sale?.expiresAt && !sending && <Countdown until={sale.expiresAt} />}
          {!sending &&
            sale &&
            !sale.cancellable &&
            (state === 'at_terminal' || state === 'processing') &&
            !cancelling && (
              <p className="charge-hint">{t(state === 'processing' ? 'charge.tooLateToCancel' : 'charge.cancelOnTerminal')}</p>
            )}
          {actionError && <ErrorNotice error={actionError} />}

          <div className="actions charge-actions">
            {!sending && sale && live && (
              <button
                ref={primary}
                type="button"
                className="danger big"
                onClick={() => void cancel()}
                disabled={!sale.cancellable || busy === 'cancel'}
              >
                {busy === 'cancel' || cancelling ? t('charge.cancelling') : t('charge.cancel')}
              </button>
            )}
            {!sending && sale && live && reasonCode === 'notTaken' && sale.cancellable && (
              <button
                type="button"
                onClick={() => {
                  setSwitchAfterCancel(true);
                  void cancel();
                }}
                disabled={busy === 'cancel'}
              >
                {t('charge.cancelAndSwitch')}
              </button>
            )}
            {!sending && sale && state === 'processing' && sale.resolvable && !resolving && (
              <button type="button" onClick={() => setResolving(true)}>
                {t('charge.resolve')}
              </button>
            )}
            {state === 'unknown' && sale && !resolving && (
              <>
                <button
                  ref={primary}
                  type="button"
                  className="primary big"
                  onClick={() => void recheck(sale.id)}
                  disabled={busy === 'recheck'}
                >
                  <RefreshCw aria-hidden size={18} /> {t('charge.checkNow')}
                </button>
                {sale.cancellable && (
                  <button type="button" className="danger" onClick={() => void cancel()} disabled={busy === 'cancel'}>
                    {busy === 'cancel' || cancelling ? t('charge.cancelling') : t('charge.cancelHeld')}
                  </button>
                )}
                {sale.resolvable && (
                  <button type="button" onClick={() => setResolving(true)}>
                    {t('charge.resolve')}
                  </button>
                )}
                <button type="button" onClick={close}>
                  {t('charge.hide')}
                </button>
              </>
            )}
            {state === 'resolved' && (
              <button ref={primary} type="button" className="primary big" onClick={close}>
                {t('charge.backToCart')}
              </button>
            )}
            {state === 'approved' && (
              <button ref={primary} type="button" className="primary big" onClick={newSale}>
                {t('charge.newSale')}
              </button>
            )}
            {sale && !sending && isRetryable(state) && !choosing && (
              <>
                {terminal && !unavailable(terminal, register) && (
                  <button ref={primary} type="button" className="primary big" onClick={() => retry(terminal.id)}>
                    {t('charge.retry', { terminal: terminalLabel })}
                  </button>
                )}
                <button type="button" onClick={() => setChoosing(true)}>
                  {t('charge.otherTerminal')}
                </button>
                <button type="button" onClick={close}>
                  {t('charge.backToCart')}
                </button>
              </>
            )}
          </div>

          {resolving && sale && (
            <form
              className="charge-resolve"
              onSubmit={(e) => {
                e.preventDefault();
                void resolve(sale.id, note).then((ok) => ok && setNote(''));
              }}
            >
              <h3>{t('charge.resolveTitle')}</h3>
              <p className="muted">{t('charge.resolveHelp')}</p>
              <label>
                {t('charge.resolveNote')}
                <textarea
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  minLength={3}
                  maxLength={200}
                  required
                  autoFocus
                />
              </label>
              <div className="actions">
                <button type="button" onClick={() => setResolving(false)}>
                  {t('common.back')}
                </button>
                <button type="submit" className="primary" disabled={note.trim().length < 3 || busy === 'resolve'}>
                  {t('charge.resolveDo')}
                </button>
              </div>
            </form>
          )}

          {choosing && (
            <div className="charge-choose">
              <TerminalPicker name="retry-terminal" selectedId={otherId} onSelect={setOtherId} />
              <div className="actions">
                <button type="button" onClick={() => setChoosing(false)}>
                  {t('common.back')}
                </button>
                <button
                  type="button"
                  className="primary"
                  disabled={!otherId || !terminals.some((x) => x.id === otherId && !unavailable(x, register))}
                  onClick={() => otherId && retry(otherId)}
                >
                  {t('charge.chargeOn', { terminal: terminals.find((x) => x.id === otherId)?.label ?? '…' })}
                </button>
              </div>
            </div>
          )}
        </div>
        {state === 'approved' && sale && (
          <section className="charge-receipt" aria-label={t('charge.receipt')}>
            <ReceiptView saleId={sale.id} version={sale.updatedAt} />
          </section>
        )}
      </div>
    </div>
  );
}
