import '../manager.css';
import { Lock, LockOpen } from 'lucide-react';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/dates';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { ErrorNotice } from './ErrorNotice';

/**
 * The manager's screens behind the PIN. Hiding them is a courtesy to the cashier: main refuses every
 * manager action itself (electron/roles/), whatever the screen shows.
 */
export function ManagerGate({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const status = useManagerStore((s) => s.status);
  const error = useManagerStore((s) => s.error);
  const busy = useManagerStore((s) => s.busy);
  const locale = useAppStore((s) => s.locale);
  const [pin, setPin] = useState('');
  // Main's session may have locked on idle (or been opened elsewhere) since the last look.
  useEffect(() => {
    void useManagerStore.getState().refresh();
  }, []);

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    if (await useManagerStore.getState().unlock(pin)) setPin('');
  };

  if (!status?.unlocked) {
    return (
      <section className="panel stack manager-locked" aria-labelledby="manager-locked-title">
        <h1 id="manager-locked-title">
          <Lock aria-hidden size={22} /> {title}
        </h1>
        <p>{t('manager.lockedHelp')}</p>
        <form className="form pin-form" onSubmit={(e) => void unlock(e)}>
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
            <button type="submit" className="primary" disabled={busy || pin.length < 4}>
              <LockOpen aria-hidden size={18} /> {t('manager.unlock')}
            </button>
          </div>
        </form>
      </section>
    );
  }
  return (
    <div className="stack">
      <div className="manager-bar" role="status" data-testid="manager-session">
        <LockOpen aria-hidden size={18} />
        <span>{t('manager.unlockedUntil', { time: formatDateTime(status.unlockedUntil ?? '', locale, false) })}</span>
        <button type="button" onClick={() => void useManagerStore.getState().lock()}>
          <Lock aria-hidden size={18} /> {t('manager.lock')}
        </button>
      </div>
      {children}
    </div>
  );
}
