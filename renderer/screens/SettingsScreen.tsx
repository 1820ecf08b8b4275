import { ExternalLink, KeyRound, UserPlus } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, OperatingMode, Output, TerminalView } from '../../shared/contract';
import { SITE_IDS, SITES, type SiteId } from '../../shared/money';
import { call } from '../bridge';
import { ErrorNotice } from '../components/ErrorNotice';
import { LOCALE_NAMES, LOCALES, systemLocale } from '../i18n';
import { describeError, type ShownError } from '../lib/errors';
import { useAppStore } from '../stores/app-store';
import { useTerminalsStore } from '../stores/terminals-store';

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
        {error && <ErrorNotice error={error} />}
        <div className="actions">
          {saved && (
            <span className="muted" role="status">
              {t('common.saved')}
            </span>
          )}
          <button type="submit" className="primary">
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Write-only: the token goes to main's vault and is never read back, not even masked. */
function TokenSettings() {
  const { t } = useTranslation();
  const hasToken = useAppStore((s) => s.settings?.hasToken ?? false);
  const tokenProblem = useAppStore((s) => s.info?.tokenProblem ?? null);
  const setToken = useAppStore((s) => s.setToken);
  const [token, setTokenText] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await setToken(token);
      setTokenText('');
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section className="panel stack" aria-labelledby="token-title">
      <h2 id="token-title">
        <KeyRound aria-hidden size={20} /> {t('settings.token')}
      </h2>
      {tokenProblem && (
        <p className="notice notice-error" role="alert" data-testid="settings-token-problem">
          {t(tokenProblem === 'unreadable' ? 'hardening.tokenUnreadable' : 'hardening.tokenMissing')}
        </p>
      )}
      <form className="form" onSubmit={(e) => void save(e)}>
        <label className="field">
          <span>{t('settings.token')}</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            placeholder="APP_USR-…"
            onChange={(e) => {
              setTokenText(e.target.value);
              setSaved(false);
            }}
          />
          <small>{t('settings.tokenHelp')}</small>
        </label>
        {error && <ErrorNotice error={error} />}
        <div className="actions">
          {saved ? (
            <span className="notice notice-ok" role="status">
              {t('settings.tokenSaved')}
            </span>
          ) : (
            hasToken && <span className="muted">{t('settings.tokenStored')}</span>
          )}
          <button type="submit" className="primary" disabled={!token.trim()}>
            {t('settings.tokenSave')}
          </button>
        </div>
      </form>
    </section>
  );
}

function TerminalRow({ terminal, register }: { terminal: TerminalView; register: string }) {
  const { t } = useTranslation();
  const update = useTerminalsStore((s) => s.update);
  const [error, setError] = useState<ShownError | null>(null);
  const act = async (fn: () => Promise<TerminalView>) => {
    try {
      update(await fn());
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <tr>
      <td>
        <strong>{terminal.label}</strong>
        <div className="muted">
          {t(`terminals.family_${terminal.family}`)} · {terminal.id}
        </div>
        {error && <ErrorNotice error={error} />}
      </td>
      <td>
        {terminal.mode === null ? (
          t('common.none')
        ) : (
          <select
            aria-label={t('settings.modeOf', { terminal: terminal.label })}
            value={terminal.mode}
            onChange={(e) =>
              void act(() => call('terminals.setMode', { terminalId: terminal.id, mode: e.target.value as OperatingMode }))
            }
          >
            <option value="PDV">PDV</option>
            <option value="STANDALONE">STANDALONE</option>
          </select>
        )}
      </td>
      <td>
        <select
          aria-label={t('settings.ownerOf', { terminal: terminal.label })}
          value={terminal.register ?? ''}
          onChange={(e) =>
            void act(() => call('terminals.assign', { terminalId: terminal.id, register: e.target.value || null }))
          }
        >
          <option value="">{t('settings.anyRegister')}</option>
          <option value={register}>{t('settings.thisRegister', { id: register })}</option>
          {terminal.register && terminal.register !== register && <option value={terminal.register}>{terminal.register}</option>}
        </select>
      </td>
    </tr>
  );
}

function TerminalSettings() {
  const { t } = useTranslation();
  const terminals = useTerminalsStore((s) => s.terminals);
  const register = useAppStore((s) => s.settings?.registerId ?? '');
  const screenUrl = useAppStore((s) => s.info?.terminalScreenUrl ?? null);
  return (
    <section className="panel stack" aria-labelledby="terminals-title">
      <h2 id="terminals-title">{t('settings.terminals')}</h2>
      {screenUrl && (
        <p>
          <a href={screenUrl} target="_blank" rel="noopener noreferrer" className="external-link">
            <ExternalLink aria-hidden size={18} /> {t('settings.terminalScreen')}
          </a>{' '}
          <span className="muted">{t('settings.terminalScreenHelp')}</span>
        </p>
      )}
      <table className="data" aria-label={t('settings.terminals')}>
        <thead>
          <tr>
            <th>{t('terminals.title')}</th>
            <th>{t('settings.mode')}</th>
            <th>{t('settings.owner')}</th>
          </tr>
        </thead>
        <tbody>
          {terminals.map((x) => (
            <TerminalRow key={x.id} terminal={x} register={register} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Test users let a manager rehearse on Mercado Pago before going live; the password is shown once. */
function TestUserSettings() {
  const { t } = useTranslation();
  const site = useAppStore((s) => s.settings?.site ?? 'MLA');
  const [chosen, setChosen] = useState<SiteId>(site);
  const [created, setCreated] = useState<Output<'accounts.createTestUser'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      setCreated(await call('accounts.createTestUser', { site: chosen }));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel stack" aria-labelledby="test-users-title">
      <h2 id="test-users-title">
        <UserPlus aria-hidden size={20} /> {t('settings.testUsers')}
      </h2>
      <p className="muted">{t('settings.testUsersHelp')}</p>
      <form className="form" onSubmit={(e) => void create(e)}>
        <label className="field">
          <span>{t('settings.testUserSite')}</span>
          <select value={chosen} onChange={(e) => setChosen(e.target.value as SiteId)}>
            {SITE_IDS.map((id) => (
              <option key={id} value={id}>
                {SITES[id].country} ({id})
              </option>
            ))}
          </select>
        </label>
        {error && <ErrorNotice error={error} />}
        {created && (
          <div className="notice notice-ok" role="status">
            <p>{t('settings.testUserCreated', { nickname: created.nickname })}</p>
            <p>
              {created.email} · {t('settings.testUserPassword')}: <code>{created.password}</code>
            </p>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('settings.testUserCreate')}
          </button>
        </div>
      </form>
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
          <TokenSettings />
          <TestUserSettings />
        </div>
        <TerminalSettings />
      </div>
    </div>
  );
}
