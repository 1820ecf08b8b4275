import '../manager.css';
import { Lock, LockOpen } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/dates';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { PinPad } from './PinPad';

/**
 * The manager's screens behind the PIN. Hiding them is a courtesy to the cashier: main refuses every
 * manager action itself (electron/roles/), whatever the screen shows.
 */
export function ManagerGate({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const status = useManagerStore((s) => s.status);
  const locale = useAppStore((s) => s.locale);
  // Main's session may have locked on idle (or been opened elsewhere) since the last look.
  useEffect(() => {
    void useManagerStore.getState().refresh();
  }, []);

  if (!status?.unlocked) {
    return (
      <section className="panel stack manager-locked" aria-labelledby="manager-locked-title">
        <h1 id="manager-locked-title">
          <Lock aria-hidden size={22} /> {title}
        </h1>
        <PinPad intro={<p>{t('manager.lockedHelp')}</p>} className="form pin-form" />
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
