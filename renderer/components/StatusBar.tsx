import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../stores/app-store';
import { useShopStore } from '../stores/shop-store';
import { useShopWords } from './ShopServerSection';

const KEYS = [
  [['F1', '/'], 'search'],
  [['F9'], 'charge'],
  [['Esc'], 'cancel'],
  [['F2'], 'newSale'],
  [['F4'], 'history'],
] as const;

export function StatusBar() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.info);
  const settings = useAppStore((s) => s.settings);
  const shop = useShopStore((s) => s.status);
  const shopWords = useShopWords();
  // The bar is always on screen: it keeps the shop status fresh for every screen.
  useEffect(() => useShopStore.getState().start(), []);
  return (
    <footer className="statusbar">
      {info && (
        <span data-testid="app-info">
          {info.name} {info.version} · {info.shell} · {info.backend === 'demo' ? t('app.demo') : t('app.live')}
        </span>
      )}
      {settings && <span>{t('app.register', { id: settings.registerId })}</span>}
      {shop && shop.state !== 'off' && (
        <span
          className={shop.problem ? 'statusbar-problem' : undefined}
          data-testid="shop-sync"
          title={shop.shopName ?? undefined}
        >
          {shopWords(shop)}
        </span>
      )}
      {info?.tokenProblem && (
        <span className="statusbar-problem" role="alert" data-testid="token-problem">
          {t(info.tokenProblem === 'unreadable' ? 'hardening.tokenUnreadable' : 'hardening.tokenMissing')}
        </span>
      )}
      <span className="keys" aria-label={t('keys.title')}>
        {KEYS.map(([keys, label]) => (
          <span key={label}>
            {keys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}{' '}
            {t(`keys.${label}`)}
          </span>
        ))}
      </span>
    </footer>
  );
}
