import { ExternalLink, KeyRound } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../shared/contract';
import { SaveActions } from '../components/SaveActions';
import { LOCALE_NAMES, LOCALES, systemLocale } from '../i18n';
import { describeError, type ShownError } from '../lib/errors';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';

function GeneralSettings() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [form, setForm] = useState({ shopName: '', shopAddress: '', registerId: '' });
  const [error, setError] = useState<ShownError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings) setForm({ shopName: settings.shopName, shopAddress: settings.shopAddress, registerId: settings.registerId });
  }, [settings]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await updateSettings(form);
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const changeLocale = async (value: string) => {
    try {
      await updateSettings({ locale: value === '' ? null : (value as Locale) });
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section className="panel stack" aria-labelledby="general-title">
      <h2 id="general-title">{t('settings.general')}</h2>
      <label className="field">
        <span>{t('settings.language')}</span>
        <select value={settings?.locale ?? ''} onChange={(e) => void changeLocale(e.target.value)}>
          <option value="">{t('settings.system', { locale: LOCALE_NAMES[systemLocale()] })}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <form className="form" onSubmit={(e) => void save(e)} onChange={() => setSaved(false)}>
        <label className="field">
          <span>{t('settings.shopName')}</span>
          <input value={form.shopName} maxLength={60} onChange={(e) => setForm({ ...form, shopName: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('settings.shopAddress')}</span>
          <input value={form.shopAddress} maxLength={120} onChange={(e) => setForm({ ...form, shopAddress: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('settings.registerId')}</span>
          <input
            value={form.registerId}
            maxLength={32}
            required
            onChange={(e) => setForm({ ...form, registerId: e.target.value })}
          />
        </label>
        <SaveActions error={error} saved={saved} />
      </form>
    </section>
  );
}

/**
 * The token and the account live on the Manager screen only (checked with Mercado Pago, a switch
 * confirmed there); Settings says where, and why charging is refused when the token is the problem.
 */
function AccountPointer() {
  const { t } = useTranslation();
  const tokenProblem = useAppStore((s) => s.info?.tokenProblem ?? null);
  return (
    <section className="panel stack" aria-labelledby="token-title">
      <h2 id="token-title">
        <KeyRound aria-hidden size={20} /> {t('settings.account')}
      </h2>
      {tokenProblem && (
        <p className="notice notice-error" role="alert" data-testid="settings-token-problem">
          {t(tokenProblem === 'unreadable' ? 'hardening.tokenUnreadable' : 'hardening.tokenMissing')}
        </p>
      )}
      <p className="muted">{t('settings.accountOnManager')}</p>
      <div className="actions">
        <button type="button" onClick={() => useManagerStore.getState().show('account')}>
          {t('settings.goToAccount')}
        </button>
      </div>
    </section>
  );
}

/** Demo only: the simulated terminal's screen, where the cashier plays the customer. Terminals are managed on Devices. */
function TerminalScreenLink() {
  const { t } = useTranslation();
  const screenUrl = useAppStore((s) => s.info?.terminalScreenUrl ?? null);
  if (!screenUrl) return null;
  return (
    <section className="panel stack" aria-labelledby="terminals-title">
      <h2 id="terminals-title">{t('settings.terminals')}</h2>
      <p>
        <a href={screenUrl} target="_blank" rel="noopener noreferrer" className="external-link">
          <ExternalLink aria-hidden size={18} /> {t('settings.terminalScreen')}
        </a>{' '}
        <span className="muted">{t('settings.terminalScreenHelp')}</span>
      </p>
    </section>
  );
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.info);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('settings.title')}</h1>
        {info && (
          <span className="muted">
            {info.name} {info.version} · {info.shell} · {info.backend} · {info.platform}
          </span>
        )}
      </div>
      <div className="split split-settings">
        <div className="stack">
          <GeneralSettings />
          <AccountPointer />
        </div>
        <TerminalScreenLink />
      </div>
    </div>
  );
}
