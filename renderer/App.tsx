import { History, MonitorSmartphone, Package, Settings as SettingsIcon, ShieldCheck, ShoppingCart } from 'lucide-react';
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ChargeStatus } from './components/ChargeStatus';
import { ErrorNotice } from './components/ErrorNotice';
import { ManagerPrompt } from './components/ManagerPrompt';
import { StatusBar } from './components/StatusBar';
import { UnfinishedBanner } from './components/UnfinishedBanner';
import { replayEarlyKeys } from './early-keys';
import { firstScreenShown } from './first-screen';
import { chargeBlocker, newSale, startCharge } from './lib/charge';
import { SaleScreen } from './screens/SaleScreen';
import { useAppStore, type Screen } from './stores/app-store';
import { useManagerStore } from './stores/manager-store';
import { useSaleStore } from './stores/sale-store';
import { useTerminalsStore } from './stores/terminals-store';

/**
 * Every screen but Sale is its own chunk, fetched when first opened (and warmed in idle time after the
 * first screen): a cold start compiles and runs only what the cashier's screen needs.
 */
const screens = {
  history: () => import('./screens/HistoryScreen').then((m) => ({ default: m.HistoryScreen })),
  catalog: () => import('./screens/CatalogScreen').then((m) => ({ default: m.CatalogScreen })),
  settings: () => import('./screens/SettingsScreen').then((m) => ({ default: m.SettingsScreen })),
  manager: () => import('./screens/ManagerScreen').then((m) => ({ default: m.ManagerScreen })),
  devices: () => import('./screens/DevicesScreen').then((m) => ({ default: m.DevicesScreen })),
  welcome: () => import('./screens/WelcomeScreen').then((m) => ({ default: m.WelcomeScreen })),
};
const HistoryScreen = lazy(screens.history);
const CatalogScreen = lazy(screens.catalog);
const SettingsScreen = lazy(screens.settings);
const ManagerScreen = lazy(screens.manager);
const DevicesScreen = lazy(screens.devices);
const WelcomeScreen = lazy(screens.welcome);

/** After the first screen, the other chunks load while nothing happens, so a first F4 does not wait. */
function warmScreens(): void {
  const idle = (run: () => void) =>
    'requestIdleCallback' in window ? requestIdleCallback(run, { timeout: 5000 }) : setTimeout(run, 2000);
  void firstScreenShown.then(() => idle(() => Object.values(screens).forEach((load) => void load().catch(() => undefined))));
}

const NAV: { screen: Screen; icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }>; key?: string }[] = [
  { screen: 'sale', icon: ShoppingCart, key: 'F2' },
  { screen: 'history', icon: History, key: 'F4' },
  { screen: 'catalog', icon: Package },
  { screen: 'settings', icon: SettingsIcon },
  { screen: 'manager', icon: ShieldCheck },
  { screen: 'devices', icon: MonitorSmartphone },
];

/** The manager's screens are worded in their own i18n blocks. */
const navLabel = (s: Screen) => (s === 'manager' ? 'manager.nav' : s === 'devices' ? 'devices.nav' : (`app.${s}` as const));

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** Shortcuts that work from anywhere; a dialog that is open keeps them (see Modal). */
function onShortcut(e: KeyboardEvent) {
  const app = useAppStore.getState();
  const sale = useSaleStore.getState();
  const overlay = sale.sending !== null || sale.activeSaleId !== null;
  if (e.key === 'F1' || (e.key === '/' && !isTyping(e.target) && !overlay)) {
    e.preventDefault();
    if (!overlay) app.focusSearch();
  } else if (e.key === 'F2') {
    e.preventDefault();
    newSale();
  } else if (e.key === 'F4') {
    e.preventDefault();
    if (!overlay) app.go('history');
  } else if (e.key === 'F9') {
    e.preventDefault();
    if (app.screen === 'sale' && chargeBlocker() === null) startCharge();
  } else if (e.key === 'Escape' && overlay) {
    e.preventDefault();
    void sale.cancel();
  }
}

// Listening from the module's first evaluation, not from App's first effect: the first frame waits
// for the language's messages (i18n's localeReady), and a key pressed meanwhile (F4 right as the page
// loads) must not be lost; nor one pressed before this chunk arrived, which boot.ts held. The stores
// it reads exist before anything renders.
window.addEventListener('keydown', onShortcut);
replayEarlyKeys(onShortcut);

export function App() {
  const { t } = useTranslation();
  const screen = useAppStore((s) => s.screen);
  const settings = useAppStore((s) => s.settings);
  const demo = useAppStore((s) => s.info?.backend === 'demo');
  const startError = useAppStore((s) => s.startError);
  const go = useAppStore((s) => s.go);
  const welcoming = useManagerStore((s) => s.welcoming);

  useEffect(() => {
    void useAppStore
      .getState()
      .start()
      .then(() => {
        const chosen = useAppStore.getState().settings?.defaultTerminalId ?? null;
        if (chosen) useTerminalsStore.setState({ selectedId: chosen });
      });
    const stopTerminals = useTerminalsStore.getState().start();
    const stopSales = useSaleStore.getState().start();
    const stopManager = useManagerStore.getState().start();
    warmScreens();
    return () => {
      stopTerminals();
      stopSales();
      stopManager();
    };
  }, []);

  return (
    <div className="app">
      {/* On every screen and over every dialog: a demo charge must never be taken for a real one. */}
      {demo && (
        <div className="demo-band" role="note" title={t('hardening.demoBandTitle')} data-testid="demo-band">
          {t('hardening.demoBand')}
        </div>
      )}
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            C
          </span>
          <span>
            <strong>{t('app.name')}</strong>
            {settings?.shopName && <span className="shop-name"> · {settings.shopName}</span>}
          </span>
        </div>
        <nav aria-label={t('app.nav')}>
          {NAV.map(({ screen: s, icon: Icon, key }) => (
            <button
              key={s}
              type="button"
              className={s === screen ? 'nav-item active' : 'nav-item'}
              aria-current={s === screen ? 'page' : undefined}
              aria-keyshortcuts={key}
              onClick={() => (s === 'sale' ? useAppStore.getState().focusSearch() : go(s))}
            >
              <Icon aria-hidden size={20} />
              <span>{t(navLabel(s))}</span>
              {key && <kbd>{key}</kbd>}
            </button>
          ))}
        </nav>
      </header>
      <UnfinishedBanner />
      {startError && <ErrorNotice error={startError} />}
      <main className="content">
        {screen === 'sale' && <SaleScreen />}
        <Suspense fallback={null}>
          {screen === 'history' && <HistoryScreen />}
          {screen === 'catalog' && <CatalogScreen />}
          {screen === 'settings' && <SettingsScreen />}
          {screen === 'manager' && <ManagerScreen />}
          {screen === 'devices' && <DevicesScreen />}
        </Suspense>
      </main>
      <StatusBar />
      <ChargeStatus />
      {welcoming && (
        <Suspense fallback={null}>
          <WelcomeScreen />
        </Suspense>
      )}
      <ManagerPrompt />
    </div>
  );
}
