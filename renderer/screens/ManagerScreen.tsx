import { Copy, RefreshCw, UserPlus } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataFolderState, Output, SaleDetail, TokenCheck } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import { call } from '../bridge';
import { SiteSelect, TokenCheckForm, useAccountWords } from '../components/AccountConnect';
import { ErrorNotice } from '../components/ErrorNotice';
import { SaveActions } from '../components/SaveActions';
import { ManagerGate } from '../components/ManagerGate';
import { ShopServerSection } from '../components/ShopServerSection';
import { StateBadge } from '../components/StateBadge';
import { formatDateTime } from '../lib/dates';
import { useAction } from '../lib/use-action';
import { parseAmount, useMoney } from '../lib/money';
import { useReasonText } from '../lib/reasons';
import { useAppStore, selectSite } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { useSaleStore } from '../stores/sale-store';

/** A new token is checked with Mercado Pago first; another account than the saved one needs a second yes. */
function AccountSection() {
  const { t } = useTranslation();
  const account = useAppStore((s) => s.settings?.account ?? null);
  const accountWords = useAccountWords();
  const [token, setToken] = useState('');
  const [checked, setChecked] = useState<TokenCheck | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const focus = useManagerStore((s) => s.focus);
  const tokenField = useRef<HTMLInputElement>(null);
  // Sent here from Settings ("the token is on the Manager screen"): land on the field itself.
  useEffect(() => {
    if (focus !== 'account') return;
    tokenField.current?.scrollIntoView({ block: 'center' });
    tokenField.current?.focus();
    useManagerStore.getState().focused();
  }, [focus]);

  const save = () =>
    run(async () => {
      const settings = await call('settings.setToken', { token: token.trim(), confirmSwitch: checked?.switching === true });
      useAppStore.setState({ settings, info: await call('app.getInfo') });
      setToken('');
      setChecked(null);
      setSaved(true);
    });

  return (
    <section className="panel stack" aria-labelledby="account-title">
      <h2 id="account-title">{t('manager.account')}</h2>
      <p data-testid="current-account">
        {account ? t('manager.accountIs', { nickname: account.nickname, id: account.id, site: t(`welcome.sites.${account.site}`) }) : t('manager.noAccount')}
      </p>
      <TokenCheckForm
        token={token}
        onToken={(next) => {
          setToken(next);
          setChecked(null);
          setSaved(false);
        }}
        label={t('manager.newToken')}
        help={t('settings.tokenHelp')}
        onChecked={setChecked}
        inputRef={tokenField}
      />
      {checked && (
        <div className={checked.switching ? 'notice notice-error stack' : 'notice notice-ok stack'} role="status" data-testid="token-check">
          <p>{accountWords(checked.account)}</p>
          {checked.switching && checked.current && (
            <p>
              <strong>{t('manager.switchWarning', { from: `${checked.current.nickname} (${checked.current.id})`, to: `${checked.account.nickname} (${checked.account.id})` })}</strong>
            </p>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
              {checked.switching ? t('manager.confirmSwitch') : t('settings.tokenSave')}
            </button>
          </div>
        </div>
      )}
      {saved && (
        <p className="notice notice-ok" role="status">
          {t('settings.tokenSaved')}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function RefundThresholdSection() {
  const { t } = useTranslation();
  const money = useMoney();
  const site = useAppStore(selectSite);
  const threshold = useAppStore((s) => s.settings?.refundThreshold ?? 0);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run, setError } = useAction();

  const save = (e: FormEvent) => {
    e.preventDefault();
    const amount = parseAmount(text, site);
    if (amount === null) {
      setError({ code: 'INVALID_INPUT', text: t('manager.thresholdInvalid'), detail: null });
      return;
    }
    void run(async () => {
      await useAppStore.getState().updateSettings({ refundThreshold: amount });
      setText('');
      setSaved(true);
    });
  };

  return (
    <section className="panel stack" aria-labelledby="threshold-title">
      <h2 id="threshold-title">{t('manager.refundThreshold')}</h2>
      <p data-testid="refund-threshold">{threshold === 0 ? t('manager.thresholdZero') : t('manager.thresholdIs', { amount: money(threshold) })}</p>
      <form className="form" onSubmit={save} onChange={() => setSaved(false)}>
        <label className="field">
          <span>{t('manager.thresholdLabel')}</span>
          <input inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <SaveActions error={error} saved={saved} disabled={busy || !text.trim()} />
      </form>
    </section>
  );
}

/** Stuck and unfinished sales, each with its evidence so far and what a manager can do about it. */
function UnfinishedSection() {
  const { t } = useTranslation();
  const money = useMoney();
  const reasonText = useReasonText();
  const locale = useAppStore((s) => s.locale);
  const ids = useSaleStore((s) => s.unfinishedIds);
  const sales = useSaleStore((s) => s.sales);
  const busy = useSaleStore((s) => s.busy);
  const actionError = useSaleStore((s) => s.actionError);
  const [evidence, setEvidence] = useState<Record<string, SaleDetail>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const { error, run } = useAction();

  useEffect(() => {
    void useSaleStore.getState().loadUnfinished();
  }, []);

  const show = (saleId: string) => run(async () => setEvidence({ ...evidence, [saleId]: await call('sales.detail', { saleId }) }));
  // The answer also arrives as sale.changed, which the sale store applies (and drops from the list when settled).
  const cancel = (saleId: string) => run(async () => void (await call('checkout.cancel', { saleId })));

  return (
    <section className="panel stack" aria-labelledby="unfinished-title">
      <h2 id="unfinished-title">{t('manager.unfinished')}</h2>
      {ids.length === 0 && <p className="muted">{t('manager.noUnfinished')}</p>}
      <ul className="stack unfinished-list">
        {ids.map((id) => {
          const sale = sales[id];
          if (!sale) return null;
          const detail = evidence[id];
          return (
            <li key={id} className="panel stack" data-testid={`unfinished-${id}`}>
              <div>
                <StateBadge state={sale.state} /> <strong>{money(sale.total)}</strong> · {sale.terminalId ?? t('common.none')} ·{' '}
                {formatDateTime(sale.createdAt, locale)}
                {sale.reason && <div className="muted">{reasonText(sale.reason)}</div>}
              </div>
              {detail && (
                <ol className="timeline" aria-label={t('manager.evidence')}>
                  {detail.timeline.map((e, i) => (
                    <li key={i}>
                      <span className="muted">{formatDateTime(e.at, locale, false)}</span> {reasonText(e.reason)}
                    </li>
                  ))}
                </ol>
              )}
              <div className="actions">
                <button type="button" onClick={() => void show(id)}>
                  {t('manager.evidence')}
                </button>
                <button type="button" disabled={busy !== null} onClick={() => void useSaleStore.getState().recheck(id)}>
                  <RefreshCw aria-hidden size={16} /> {t('unfinished.check')}
                </button>
                {sale.cancellable && (
                  <button type="button" className="danger" onClick={() => void cancel(id)}>
                    {t('manager.cancelHeld')}
                  </button>
                )}
              </div>
              {sale.resolvable && (
                <form
                  className="form inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void useSaleStore.getState().resolve(id, notes[id] ?? '');
                  }}
                >
                  <label className="field">
                    <span>{t('manager.resolveReason')}</span>
                    <input value={notes[id] ?? ''} maxLength={200} onChange={(e) => setNotes({ ...notes, [id]: e.target.value })} />
                  </label>
                  <button type="submit" disabled={busy !== null || (notes[id] ?? '').trim().length < 3}>
                    {t('manager.resolve')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
      {(error ?? actionError) && <ErrorNotice error={(error ?? actionError)!} />}
    </section>
  );
}

interface MadeHere {
  id: string;
  nickname: string;
  site: SiteId;
  at: string;
}
const MADE_KEY = 'caja.testUsers';
function madeHere(): MadeHere[] {
  try {
    return JSON.parse(localStorage.getItem(MADE_KEY) ?? '[]') as MadeHere[];
  } catch {
    return [];
  }
}

/** Test users for every site; the password is shown once and kept nowhere (the list keeps names only). */
function TestUsersSection() {
  const { t } = useTranslation();
  const locale = useAppStore((s) => s.locale);
  const [site, setSite] = useState<SiteId>(useAppStore.getState().settings?.site ?? 'MLA');
  const [created, setCreated] = useState<Output<'accounts.createTestUser'> | null>(null);
  const [list, setList] = useState<MadeHere[]>(madeHere);
  const [copied, setCopied] = useState(false);
  const { busy, error, run } = useAction();

  const create = (e: FormEvent) => {
    e.preventDefault();
    setCopied(false);
    void run(async () => {
      const user = await call('accounts.createTestUser', { site });
      setCreated(user);
      const next = [...list, { id: user.id, nickname: user.nickname, site: user.site, at: new Date().toISOString() }];
      localStorage.setItem(MADE_KEY, JSON.stringify(next));
      setList(next);
    });
  };

  return (
    <section className="panel stack" aria-labelledby="testusers-title">
      <h2 id="testusers-title">{t('settings.testUsers')}</h2>
      <p className="muted">{t('settings.testUsersHelp')}</p>
      <form className="form inline-form" onSubmit={create}>
        <SiteSelect label={t('settings.testUserSite')} value={site} onChange={setSite} />
        <button type="submit" disabled={busy}>
          <UserPlus aria-hidden size={18} /> {t('settings.testUserCreate')}
        </button>
      </form>
      {created && (
        <div className="notice notice-ok" role="status" data-testid="test-user-created">
          <div>
            <strong>{t('settings.testUserCreated', { nickname: created.nickname })}</strong>
            <div>
              {t('settings.testUserPassword')}: <code>{created.password}</code>{' '}
              <button
                type="button"
                onClick={() => void navigator.clipboard?.writeText(created.password).then(() => setCopied(true), () => setCopied(false))}
              >
                <Copy aria-hidden size={16} /> {copied ? t('manager.copied') : t('manager.copy')}
              </button>
            </div>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {list.length > 0 && (
        <table className="data" aria-label={t('manager.madeHere')}>
          <thead>
            <tr>
              <th>{t('manager.nickname')}</th>
              <th>{t('settings.testUserSite')}</th>
              <th>{t('manager.createdAt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.nickname} <span className="muted">({u.id})</span>
                </td>
                <td>{u.site}</td>
                <td>{formatDateTime(u.at, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The till itself: poll pace within safe bounds, where its data lives, a journal backup, diagnostics for support. */
function TillSection() {
  const { t } = useTranslation();
  const pollSeconds = useAppStore((s) => s.settings?.pollSeconds ?? 3);
  const [poll, setPoll] = useState(String(pollSeconds));
  const [note, setNote] = useState<string | null>(null);
  const [diagnostics, setDiagnostics] = useState<string | null>(null);
  const { busy, error, run, setError } = useAction();

  const savePoll = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(poll);
    if (!Number.isInteger(n) || n < 2 || n > 10) {
      setError({ code: 'INVALID_INPUT', text: t('manager.pollInvalid'), detail: null });
      return;
    }
    void run(async () => {
      await useAppStore.getState().updateSettings({ pollSeconds: n });
      setNote(t('common.saved'));
    });
  };
  const backup = () =>
    run(async () => {
      const done = await call('sales.backup');
      setNote(t('manager.backedUp', { path: done.path, kib: Math.ceil(done.bytes / 1024) }));
    });
  const copyDiagnostics = () =>
    run(async () => {
      const { text } = await call('app.diagnostics');
      setDiagnostics(text);
      const copied = await navigator.clipboard?.writeText(text).then(
        () => true,
        () => false,
      );
      setNote(copied ? t('manager.diagnosticsCopied') : t('manager.diagnosticsShown'));
    });

  return (
    <section className="panel stack" aria-labelledby="till-title">
      <h2 id="till-title">{t('manager.till')}</h2>
      <form className="form inline-form" onSubmit={savePoll} noValidate>
        <label className="field">
          <span>{t('manager.pollSeconds')}</span>
          <input type="number" min={2} max={10} step={1} value={poll} onChange={(e) => setPoll(e.target.value)} />
          <small>{t('manager.pollHelp')}</small>
        </label>
        <button type="submit" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void backup()}>
          {t('manager.backup')}
        </button>
        <button type="button" disabled={busy} onClick={() => void copyDiagnostics()}>
          <Copy aria-hidden size={16} /> {t('manager.diagnostics')}
        </button>
      </div>
      {note && (
        <p className="notice notice-ok" role="status" data-testid="till-note">
          {note}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {diagnostics && (
        <details>
          <summary>{t('manager.diagnosticsText')}</summary>
          <pre className="diagnostics" data-testid="diagnostics">{diagnostics}</pre>
        </details>
      )}
    </section>
  );
}

/**
 * Where the journal and catalog live. Main validates the folder and moves the data at the next start
 * (backup first, never half-moved); the browser host has no folder dialog, so the path is typed.
 */
function DataFolderSection() {
  const { t } = useTranslation();
  const [state, setState] = useState<DataFolderState | null>(null);
  const [path, setPath] = useState('');
  const { busy, error, run, setError } = useAction();
  useEffect(() => {
    void run(async () => setState(await call('app.dataFolder')));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once when the section opens
  }, []);
  const choose = (target: string | null) =>
    run(async () => {
      const answer = await call('app.setDataFolder', { path: target });
      setState(answer.state);
      if (answer.problem) setError({ code: 'INVALID_INPUT', text: t(`manager.dataFolderProblem.${answer.problem}`), detail: null });
      else setPath('');
    });
  return (
    <section className="panel stack" aria-labelledby="datafolder-title">
      <h2 id="datafolder-title">{t('manager.dataFolder')}</h2>
      <p className="muted">{t('manager.dataFolderHelp')}</p>
      {state && (
        <p data-testid="data-folder-in-use">
          {t('manager.dataFolderInUse', { path: state.inUse })}
        </p>
      )}
      {state?.lastError && (
        <p className="notice notice-error" role="alert" data-testid="data-folder-failed">
          {t('manager.dataFolderFailed', { path: state.lastError.target, detail: state.lastError.detail })}
        </p>
      )}
      {state?.pending && (
        <div className="notice stack" role="status" data-testid="data-folder-pending">
          <p>{t('manager.dataFolderPending', { path: state.pending })}</p>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void choose(null)}>
              {t('manager.dataFolderCancel')}
            </button>
          </div>
        </div>
      )}
      <form
        className="form inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void choose(path);
        }}
      >
        <label className="field">
          <span>{t('manager.dataFolderNew')}</span>
          <input value={path} spellCheck={false} maxLength={1024} onChange={(e) => setPath(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !path.trim()}>
          {t('manager.dataFolderMove')}
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function ChangePinSection() {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run, setError } = useAction();
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (await useManagerStore.getState().setPin(pin)) {
        setPin('');
        setSaved(true);
      } else setError(useManagerStore.getState().error);
    });
  };
  return (
    <section className="panel stack" aria-labelledby="pin-title">
      <h2 id="pin-title">{t('manager.changePin')}</h2>
      <form className="form inline-form" onSubmit={save}>
        <label className="field">
          <span>{t('welcome.newPin')}</span>
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit" disabled={busy || pin.length < 4}>
          {t('common.save')}
        </button>
        {saved && (
          <span className="muted" role="status">
            {t('common.saved')}
          </span>
        )}
      </form>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

export function ManagerScreen() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <ManagerGate title={t('manager.title')}>
        <div className="page-head">
          <h1>{t('manager.title')}</h1>
        </div>
        <div className="split split-settings">
          <div className="stack">
            <AccountSection />
            <RefundThresholdSection />
            <TillSection />
            <DataFolderSection />
            <ChangePinSection />
          </div>
          <div className="stack">
            <UnfinishedSection />
            <ShopServerSection />
            <TestUsersSection />
          </div>
        </div>
      </ManagerGate>
    </div>
  );
}
