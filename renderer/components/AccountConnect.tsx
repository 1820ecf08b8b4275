import { useState, type FormEvent, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, TokenCheck } from '../../shared/contract';
import { SITE_IDS, type SiteId } from '../../shared/money';
import { call } from '../bridge';
import { describeError, type ShownError } from '../lib/errors';
import { ErrorNotice } from './ErrorNotice';

/**
 * Connecting a Mercado Pago account, as the first-run welcome and the Manager screen both do it: the
 * token is typed, checked with Mercado Pago (GET /users/me, in main) and only then shown as the
 * account it belongs to. Saving it is the caller's step (after the PIN, or after a confirmed switch).
 */

export function SiteSelect({ label, value, onChange }: { label: string; value: SiteId; onChange: (site: SiteId) => void }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as SiteId)}>
        {SITE_IDS.map((s) => (
          <option key={s} value={s}>
            {t(`welcome.sites.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function useAccountWords(): (account: Account) => string {
  const { t } = useTranslation();
  return (account) => t('welcome.account', { nickname: account.nickname, id: account.id, site: t(`welcome.sites.${account.site}`) });
}

/** The token field and its check; the token never leaves this form except to main. */
export function TokenCheckForm({
  token,
  onToken,
  label,
  help,
  onChecked,
  before,
  back,
  inputRef,
}: {
  token: string;
  onToken: (token: string) => void;
  label: string;
  help: string;
  onChecked: (check: TokenCheck) => void;
  /** Fields above the token (the welcome's country). */
  before?: ReactNode;
  /** A button before "Check token" (the welcome's Back). */
  back?: ReactNode;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);

  const check = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onChecked(await call('account.checkToken', { token: token.trim() }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void check(e)}>
      {before}
      <label className="field">
        <span>{label}</span>
        <input
          ref={inputRef}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          placeholder="APP_USR-…"
          onChange={(e) => {
            onToken(e.target.value);
            setError(null);
          }}
        />
        <small>{help}</small>
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        {back}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {t('welcome.check')}
        </button>
      </div>
    </form>
  );
}
