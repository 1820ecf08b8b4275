import { LockOpen } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/dates';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';

/**
 * "A manager must do this": the PIN dialog that opens where the cashier is (a refund, a setting, an
 * import) when main refused the action while the session was locked. Unlocking retries the action
 * once; cancelling leaves main's refusal on screen.
 */
export function ManagerPrompt() {
  const { t } = useTranslation();
  const prompt = useManagerStore((s) => s.prompt);
  const status = useManagerStore((s) => s.status);
  const error = useManagerStore((s) => s.error);
  const busy = useManagerStore((s) => s.busy);
  const locale = useAppStore((s) => s.locale);
  const [pin, setPin] = useState('');
  if (!prompt) return null;

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    if (await useManagerStore.getState().unlock(pin)) {
      setPin('');
      prompt(true);
    }
  };
  const cancel = () => {
    setPin('');
    prompt(false);
  };

  return (
    <Modal title={t('manager.promptTitle')} onClose={cancel}>
      <form className="form" onSubmit={(e) => void unlock(e)}>
        <p>{t('manager.promptHelp')}</p>
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
          <p className="notice notice-error" role="alert">
            {t('manager.lockedOut', { time: formatDateTime(status.lockedOutUntil, locale, false) })}
          </p>
        )}
        {error && <ErrorNotice error={error} />}
        <div className="actions">
          <button type="button" onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || pin.length < 4}>
            <LockOpen aria-hidden size={18} /> {t('manager.unlock')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
