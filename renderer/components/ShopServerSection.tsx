/**
 * Manager screen: the shop server (PostgreSQL shared by the shop's tills). Connect tests everything
 * before main saves anything, so a failed attempt shows its problem and the previous setup stays.
 * The password is sent once and never comes back: main keeps it in its vault.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopStatus } from '../../shared/contract';
import { call } from '../bridge';
import { formatDateTime } from '../lib/dates';
import { useAction } from '../lib/use-action';
import { useAppStore } from '../stores/app-store';
import { useShopStore } from '../stores/shop-store';
import { ErrorNotice } from './ErrorNotice';

type SslMode = 'disable' | 'require' | 'verify-full';

/** One line for the link's state: what the status bar says, longer. */
export function useShopWords() {
  const { t } = useTranslation();
  const locale = useAppStore((s) => s.locale);
  return (s: ShopStatus): string => {
    const pending = s.pending ?? 0;
    if (s.state === 'off') return t('shop.off');
    if (s.problem) return t('shop.problemLine', { problem: t(`shop.problemShort.${s.problem}`), count: pending });
    if (s.state === 'connecting') return t('shop.connecting', { count: pending });
    if (!s.lastSyncAt) return t('shop.neverSynced', { count: pending });
    return t('shop.synced', { time: formatDateTime(s.lastSyncAt, locale, false), count: pending });
  };
}

export function ShopServerSection() {
  const { t } = useTranslation();
  const status = useShopStore((s) => s.status);
  const words = useShopWords();
  const { busy, error, run } = useAction();
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [ssl, setSsl] = useState<SslMode>('require');
  const [caCert, setCaCert] = useState('');
  const [shopId, setShopId] = useState('');
  const [shopName, setShopName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const connect = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSaved(false);
    void run(async () => {
      const result = await call('shop.connect', {
        url: url.trim(),
        ...(password ? { password } : {}),
        ssl,
        caCert: ssl === 'verify-full' && caCert.trim() ? caCert.trim() : null,
        shopId: shopId.trim() || status?.shopId || 'shop',
        shopName: shopName.trim() || status?.shopName || t('shop.defaultName'),
      });
      if (!result.ok) {
        setProblem(t(`shop.problem.${result.problem}`));
        return;
      }
      useShopStore.getState().set(result.status);
      setPassword('');
      setSaved(true);
    });
  };

  const disconnect = () =>
    void run(async () => {
      useShopStore.getState().set(await call('shop.disconnect'));
      setSaved(false);
    });

  return (
    <section className="panel stack" aria-labelledby="shop-title" data-testid="shop-server">
      <h2 id="shop-title">{t('shop.title')}</h2>
      <p className="muted">{t('shop.explain')}</p>
      {status && (
        <p data-testid="shop-state" role="status">
          {status.state !== 'off' && status.url ? `${status.shopName} · ${status.url} — ` : ''}
          {words(status)}
        </p>
      )}
      <form className="form" onSubmit={connect} onChange={() => setSaved(false)}>
        <label className="field">
          <span>{t('shop.url')}</span>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="postgres://caja@db.example.com:5432/shop"
            autoComplete="off"
            spellCheck={false}
            data-testid="shop-url"
          />
        </label>
        <label className="field">
          <span>{t('shop.password')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            data-testid="shop-password"
          />
        </label>
        <label className="field">
          <span>{t('shop.ssl')}</span>
          <select value={ssl} onChange={(e) => setSsl(e.target.value as SslMode)} data-testid="shop-ssl">
            <option value="disable">{t('shop.sslDisable')}</option>
            <option value="require">{t('shop.sslRequire')}</option>
            <option value="verify-full">{t('shop.sslVerify')}</option>
          </select>
        </label>
        {ssl === 'verify-full' && (
          <label className="field">
            <span>{t('shop.caCert')}</span>
            <textarea rows={3} value={caCert} onChange={(e) => setCaCert(e.target.value)} spellCheck={false} />
          </label>
        )}
        <label className="field">
          <span>{t('shop.shopId')}</span>
          <input
            value={shopId}
            onChange={(e) => setShopId(e.target.value)}
            placeholder={status?.shopId ?? 'centro'}
            data-testid="shop-id"
          />
        </label>
        <label className="field">
          <span>{t('shop.shopName')}</span>
          <input
            value={shopName}
            onChange={(e) => setShopName(e.target.value)}
            placeholder={status?.shopName ?? ''}
            data-testid="shop-name"
          />
        </label>
        {problem && (
          <p className="error" role="alert" data-testid="shop-problem">
            {problem}
          </p>
        )}
        {error && <ErrorNotice error={error} />}
        <div className="actions">
          {saved && (
            <span className="muted" role="status">
              {t('shop.connectedSaved')}
            </span>
          )}
          {status && status.state !== 'off' && (
            <button type="button" onClick={disconnect} disabled={busy} data-testid="shop-disconnect">
              {t('shop.disconnect')}
            </button>
          )}
          <button type="submit" className="primary" disabled={busy || !url.trim()} data-testid="shop-connect">
            {busy ? t('shop.testing') : t('shop.connect')}
          </button>
        </div>
      </form>
    </section>
  );
}
