import { CreditCard } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartPanel } from '../components/CartPanel';
import { ErrorNotice } from '../components/ErrorNotice';
import { ProductSearch } from '../components/ProductSearch';
import { TerminalPicker } from '../components/TerminalPicker';
import { startCharge, unsettledCartSale } from '../lib/charge';
import { useMoney } from '../lib/money';
import { useAppStore } from '../stores/app-store';
import { cartTotals, useCartStore } from '../stores/cart-store';
import { useSaleStore } from '../stores/sale-store';
import { unavailable, useTerminalsStore } from '../stores/terminals-store';

function ChargeButton() {
  const { t } = useTranslation();
  const money = useMoney();
  const lines = useCartStore((s) => s.lines);
  const cartDiscount = useCartStore((s) => s.cartDiscount);
  const total = useMemo(() => cartTotals(lines, cartDiscount).total, [lines, cartDiscount]);
  const selectedId = useTerminalsStore((s) => s.selectedId);
  const terminal = useTerminalsStore((s) => s.terminals.find((x) => x.id === selectedId));
  const register = useAppStore((s) => s.settings?.registerId ?? null);
  const sending = useSaleStore((s) => s.sending !== null);
  // Re-render when the cart's earlier sale changes state (it may settle while the cart shows).
  const overlay = useSaleStore((s) => s.activeSaleId !== null);
  const unsettled = useSaleStore((s) => {
    const id = useCartStore.getState().saleId;
    return id ? s.sales[id]?.state : undefined;
  }) && unsettledCartSale() !== null;
  const usable = terminal !== undefined && unavailable(terminal, register) === null;
  const disabled = lines.length === 0 || total <= 0 || !usable || sending || unsettled;
  return (
    <div className="charge-bar">
      {unsettled && !overlay && (
        <p className="notice notice-warn" data-testid="cart-unsettled">
          {t('charge.cartUnsettled')}
        </p>
      )}
      {lines.length > 0 && !usable && <p className="muted">{t('terminals.pickOne')}</p>}
      <button
        type="button"
        className="primary charge-button"
        disabled={disabled}
        onClick={() => startCharge()}
        aria-keyshortcuts="F9"
        aria-label={`${t('charge.button', { amount: money(total) })} (F9)`}
      >
        <CreditCard aria-hidden size={26} />
        <span>{t('charge.button', { amount: money(total) })}</span>
        <kbd>F9</kbd>
      </button>
    </div>
  );
}

/** The cashier's main screen: search and quick keys on the left, the cart, terminal and Charge on the right. */
export function SaleScreen() {
  const chargeError = useSaleStore((s) => s.chargeError);
  const selectedId = useTerminalsStore((s) => s.selectedId);
  const select = useTerminalsStore((s) => s.select);
  return (
    <div className="sale-screen">
      <div className="sale-left">
        <ProductSearch />
      </div>
      <div className="sale-middle">
        <CartPanel />
      </div>
      <div className="sale-right">
        <TerminalPicker selectedId={selectedId} onSelect={select} />
        {chargeError && <ErrorNotice error={chargeError} onDismiss={useSaleStore.getState().dismissChargeError} />}
        <ChargeButton />
      </div>
    </div>
  );
}
