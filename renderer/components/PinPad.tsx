import { LockOpen } from 'lucide-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/dates';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { ErrorNotice } from './ErrorNotice';

/**
 * The manager PIN, asked the same way wherever it is asked (the manager's screens, the dialog that
 * opens where the cashier is). Main checks it and counts the wrong ones; this only shows main's
 * lock-out and its refusal. `onUnlocked` runs once main's session is open.
 */
export function PinPad({
  intro,
  className = 'form',
  onUnlocked,
  before,
}: {
  intro: ReactNode;
  className?: string;
  onUnlocked?: () => void;
  /** Buttons that go before "Unlock" (the dialog's Cancel). */
  before?: ReactNode;
}) {
  const { t } = useTranslation();
  const status = useManagerStore((s) => s.status);
  const error = useManagerStore((s) => s.error);
  const busy = useManagerStore((s) => s.busy);
  const locale = useAppStore((s) => s.locale);
  const [pin, setPin] = useState('');

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    if (await useManagerStore.getState().unlock(pin)) {
      setPin('');
      onUnlocked?.();
    }
  };

  return (
    <form className={className} onSubmit={(e) => void unlock(e)}>
      {intro}
      <label className="field">
        <span>{t('manager.pin')}</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          data-autofocus
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      {status?.lockedOutUntil && (
        <p className="notice notice-error" role="alert" data-testid="pin-locked-out">
          {t('manager.lockedOut', { time: formatDateTime(status.lockedOutUntil, locale, false) })}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        {before}
        <button type="submit" className="primary" disabled={busy || pin.length < 4}>
          <LockOpen aria-hidden size={18} /> {t('manager.unlock')}
        </button>
      </div>
    </form>
  );
}
