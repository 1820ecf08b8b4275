import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseAmount, parseDiscount } from '../lib/money';
import { selectSite, useAppStore } from '../stores/app-store';
import { Modal } from './Modal';
import { DialogFooter } from './DialogFooter';

interface AmountDialogProps {
  title: string;
  label: string;
  hint: string;
  initial?: string;
  /** Percentages are allowed and taken of this amount; without it only amounts are read. */
  percentOf?: number;
  /** Largest value accepted (a discount may not exceed what it discounts). */
  max?: number;
  /** Adds a description field (free-amount lines). */
  withName?: { label: string; initial: string };
  onSubmit: (amount: number, name: string) => void;
  onClose: () => void;
}

/** Asks for one amount (and optionally a description) and validates it before anything changes. */
export function AmountDialog(props: AmountDialogProps) {
  const { t } = useTranslation();
  const site = useAppStore(selectSite);
  const [text, setText] = useState(props.initial ?? '');
  const [name, setName] = useState(props.withName?.initial ?? '');
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = props.percentOf !== undefined ? parseDiscount(text, props.percentOf, site) : parseAmount(text, site);
    if (amount === null || (props.withName && amount <= 0)) return setError(t('cart.invalidAmount'));
    if (props.max !== undefined && amount > props.max) return setError(t('cart.discountTooBig'));
    if (props.withName && !name.trim()) return setError(t('catalog.nameRequired'));
    props.onSubmit(amount, name.trim());
    props.onClose();
  };

  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} className="form">
        {props.withName && (
          <label className="field">
            <span>{props.withName.label}</span>
            <input value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <label className="field">
          <span>{props.label}</span>
          <input
            data-autofocus
            inputMode="decimal"
            autoComplete="off"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            aria-invalid={error !== null}
            aria-describedby="amount-hint"
          />
          <small id="amount-hint">{props.hint}</small>
        </label>
        <DialogFooter formError={error} onCancel={props.onClose} submitLabel={t('common.confirm')} />
      </form>
    </Modal>
  );
}
