import { Eraser, Minus, Percent, Plus, Trash2, Undo2, WalletCards } from 'lucide-react';
import { memo, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMoney } from '../lib/money';
import { cartTotals, lineGross, lineNet, useCartStore, type CartItem } from '../stores/cart-store';
import { AmountDialog } from './AmountDialog';
import { Modal } from './Modal';

type Editing = { kind: 'line'; line: CartItem } | { kind: 'cart' } | { kind: 'free' } | { kind: 'clear' } | null;

/** One row; memoized, and its line object only changes when that line does, so a 200-line cart stays cheap. */
const CartRow = memo(function CartRow({ line, onDiscount }: { line: CartItem; onDiscount: (line: CartItem) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  // Actions never change: read once instead of 200 rows each subscribing to every cart change.
  const { changeQuantity, remove } = useCartStore.getState();
  return (
    <li className="cart-row" data-testid="cart-line">
      <div className="cart-row-main">
        <span className="cart-name">{line.name}</span>
        <span className="cart-unit muted">
          {line.quantity} × {money(line.unitPrice)}
          {line.discount > 0 && <span className="cart-discount"> − {money(line.discount)}</span>}
        </span>
      </div>
      <div className="qty" role="group" aria-label={t('cart.quantityOf', { name: line.name })}>
        <button
          type="button"
          className="icon-button"
          onClick={() => changeQuantity(line.key, -1)}
          aria-label={t('cart.decrease', { name: line.name })}
        >
          <Minus aria-hidden size={18} />
        </button>
        <output className="qty-value" aria-label={t('cart.quantityOf', { name: line.name })}>
          {line.quantity}
        </output>
        <button
          type="button"
          className="icon-button"
          onClick={() => changeQuantity(line.key, 1)}
          aria-label={t('cart.increase', { name: line.name })}
        >
          <Plus aria-hidden size={18} />
        </button>
      </div>
      <span className="cart-amount">{money(lineNet(line))}</span>
      <div className="cart-row-actions">
        <button
          type="button"
          className="icon-button"
          onClick={() => onDiscount(line)}
          aria-label={t('cart.lineDiscount', { name: line.name })}
        >
          <Percent aria-hidden size={18} />
        </button>
        <button
          type="button"
          className="icon-button danger"
          onClick={() => remove(line.key)}
          aria-label={t('cart.remove', { name: line.name })}
        >
          <Trash2 aria-hidden size={18} />
        </button>
      </div>
    </li>
  );
});

/**
 * The toolbar's icons as constant elements: the panel renders on every cart change, and lucide
 * rebuilds an icon's SVG attributes on each render; the same element is skipped.
 */
const ICONS = {
  free: <WalletCards aria-hidden size={18} />,
  undo: <Undo2 aria-hidden size={18} />,
  clear: <Eraser aria-hidden size={18} />,
};

/** Rows per block: a 200-line cart is ten blocks for React to compare, not two hundred rows. */
const BLOCK = 20;

/**
 * A run of consecutive rows that redraws only when one of its own lines changed. Adding the 200th
 * line compares ten blocks (each twenty identity checks) and redraws the last one, instead of
 * reconciling two hundred memoized rows on every click.
 */
const CartBlock = memo(
  function CartBlock({ lines, onDiscount }: { lines: CartItem[]; onDiscount: (line: CartItem) => void }) {
    return lines.map((line) => <CartRow key={line.key} line={line} onDiscount={onDiscount} />);
  },
  (a, b) => a.onDiscount === b.onDiscount && a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i]),
);

export function CartPanel() {
  const { t } = useTranslation();
  const money = useMoney();
  const lines = useCartStore((s) => s.lines);
  const cartDiscount = useCartStore((s) => s.cartDiscount);
  const canUndo = useCartStore((s) => s.past.length > 0);
  const { setLineDiscount, setCartDiscount, addFree, clear, undo } = useCartStore.getState();
  const totals = useMemo(() => cartTotals(lines, cartDiscount), [lines, cartDiscount]);
  const [editing, setEditing] = useState<Editing>(null);
  const onDiscount = useCallback((line: CartItem) => setEditing({ kind: 'line', line }), []);

  return (
    <section className="cart" aria-labelledby="cart-title">
      <header className="cart-header">
        <h2 id="cart-title">
          {t('cart.title')} <span className="muted">· {t('cart.items', { count: totals.items })}</span>
        </h2>
        <div className="toolbar">
          <button type="button" onClick={() => setEditing({ kind: 'free' })}>
            {ICONS.free} {t('cart.freeAmount')}
          </button>
          <button type="button" onClick={undo} disabled={!canUndo}>
            {ICONS.undo} {t('cart.undo')}
          </button>
          <button type="button" onClick={() => setEditing({ kind: 'clear' })} disabled={lines.length === 0}>
            {ICONS.clear} {t('cart.clear')}
          </button>
        </div>
      </header>

      {lines.length === 0 ? (
        <p className="cart-empty muted">{t('cart.empty')}</p>
      ) : (
        <ul className="cart-lines" aria-label={t('cart.title')}>
          {Array.from({ length: Math.ceil(lines.length / BLOCK) }, (_, b) => (
            <CartBlock key={b} lines={lines.slice(b * BLOCK, (b + 1) * BLOCK)} onDiscount={onDiscount} />
          ))}
        </ul>
      )}

      <dl className="totals">
        <div>
          <dt>{t('cart.subtotal')}</dt>
          <dd>{money(totals.subtotal)}</dd>
        </div>
        {totals.discounts - cartDiscount > 0 && (
          <div>
            <dt>{t('cart.discounts')}</dt>
            <dd>− {money(totals.discounts - cartDiscount)}</dd>
          </div>
        )}
        <div>
          <dt>
            <button
              type="button"
              className="link-button"
              onClick={() => setEditing({ kind: 'cart' })}
              disabled={lines.length === 0}
            >
              {t('cart.cartDiscount')}
            </button>
          </dt>
          <dd>{cartDiscount > 0 ? `− ${money(cartDiscount)}` : money(0)}</dd>
        </div>
        <div className="grand-total">
          <dt>{t('cart.total')}</dt>
          <dd data-testid="cart-total">{money(totals.total)}</dd>
        </div>
      </dl>

      {editing?.kind === 'line' && (
        <AmountDialog
          title={t('cart.lineDiscount', { name: editing.line.name })}
          label={t('cart.discount')}
          hint={t('cart.discountHint')}
          percentOf={lineGross(editing.line)}
          max={lineGross(editing.line)}
          onSubmit={(amount) => setLineDiscount(editing.line.key, amount)}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'cart' && (
        <AmountDialog
          title={t('cart.cartDiscount')}
          label={t('cart.discount')}
          hint={t('cart.discountHint')}
          percentOf={totals.subtotal - (totals.discounts - cartDiscount)}
          max={totals.subtotal - (totals.discounts - cartDiscount)}
          onSubmit={(amount) => setCartDiscount(amount)}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'free' && (
        <AmountDialog
          title={t('cart.freeAmountTitle')}
          label={t('cart.amount')}
          hint={t('cart.amountHint')}
          withName={{ label: t('cart.freeAmountName'), initial: t('cart.freeAmountDefault') }}
          onSubmit={(amount, name) => addFree(name, amount)}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'clear' && (
        <Modal title={t('cart.clearConfirm')} onClose={() => setEditing(null)}>
          <div className="actions">
            <button type="button" onClick={() => setEditing(null)}>
              {t('common.no')}
            </button>
            <button
              type="button"
              className="danger"
              data-autofocus
              onClick={() => {
                clear();
                setEditing(null);
              }}
            >
              {t('cart.clear')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
