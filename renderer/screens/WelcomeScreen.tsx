import '../manager.css';
import { KeyRound, PlayCircle } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TokenCheck } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import { call } from '../bridge';
import { SiteSelect, TokenCheckForm, useAccountWords } from '../components/AccountConnect';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../lib/use-action';
import { useAppStore } from '../stores/app-store';
import { useManagerStore } from '../stores/manager-store';
import { useTerminalsStore } from '../stores/terminals-store';

type Step = 'choose' | 'connect' | 'confirm' | 'pin' | 'shop';

/**
 * First run, no doc needed: the demo or a real account (token checked with Mercado Pago, the manager
 * confirms whose it is), then the manager PIN, then the shop's names. Shown while no PIN exists.
 * The token is saved only after the PIN, because saving a token is a manager's action in main.
 */
export function WelcomeScreen() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const [step, setStep] = useState<Step>('choose');
  const [path, setPath] = useState<'demo' | 'connect' | 'keep'>('demo');
  const [site, setSite] = useState<SiteId>(settings?.site ?? 'MLA');
  const [token, setToken] = useState('');
  const [checked, setChecked] = useState<TokenCheck | null>(null);
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [shop, setShop] = useState({ shopName: settings?.shopName ?? '', registerId: settings?.registerId ?? 'CAJA1' });
  const { busy, error, run, setError } = useAction();
  const hasToken = settings?.hasToken ?? false;
  const accountWords = useAccountWords();
  // A till that already has its token but no PIN (manager.json removed after a forgotten PIN): the
  // account is not asked again, only the new PIN and the names.
  useEffect(() => {
    if (hasToken && step === 'choose') {
      setPath('keep');
      setStep('pin');
    }
  }, [hasToken, step]);

  const tryDemo = () =>
    run(async () => {
      // The recorded choice (backend.json): only on a folder that never had a token.
      if (useAppStore.getState().info?.backend !== 'demo') useAppStore.setState({ info: await call('app.chooseDemo') });
      setPath('demo');
      setStep('pin');
    });

  const savePin = (e: FormEvent) => {
    e.preventDefault();
    if (pin !== pin2) {
      setError({ code: 'INVALID_INPUT', text: t('welcome.pinMismatch'), detail: null });
      return;
    }
    void run(async () => {
      if (!(await useManagerStore.getState().setPin(pin))) {
        setError(useManagerStore.getState().error);
        return;
      }
      if (path === 'connect') {
        await useAppStore.getState().setToken(token.trim());
        setToken('');
      }
      setStep('shop');
    });
  };

  const finish = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await useAppStore.getState().updateSettings({ shopName: shop.shopName, registerId: shop.registerId });
      await useTerminalsStore.getState().refresh();
      await useManagerStore.getState().refresh();
      useManagerStore.getState().finishWelcome();
      useAppStore.getState().focusSearch();
    });
  };

  return (
    <div className="welcome" role="dialog" aria-modal="true" aria-labelledby="welcome-title">
      <div className="welcome-card stack">
        <h1 id="welcome-title">{t('welcome.title')}</h1>
        {step === 'choose' && (
          <>
            <p>{t('welcome.intro')}</p>
            <div className="welcome-choices">
              <button type="button" className="primary big" disabled={busy} onClick={() => void tryDemo()} autoFocus>
                <PlayCircle aria-hidden size={24} /> {t('welcome.demo')}
              </button>
              <p className="muted">{t('welcome.demoHelp')}</p>
              <button
                type="button"
                className="big"
                disabled={busy}
                onClick={() => {
                  setPath('connect');
                  setStep('connect');
                }}
              >
                <KeyRound aria-hidden size={24} /> {t('welcome.connect')}
              </button>
              <p className="muted">{t('welcome.connectHelp')}</p>
            </div>
          </>
        )}
        {step === 'connect' && (
          <TokenCheckForm
            token={token}
            onToken={setToken}
            label={t('settings.token')}
            help={t('welcome.tokenHelp')}
            onChecked={(check) => {
              setChecked(check);
              setStep('confirm');
            }}
            before={<SiteSelect label={t('welcome.country')} value={site} onChange={setSite} />}
            back={
              <button type="button" onClick={() => setStep('choose')}>
                {t('common.back')}
              </button>
            }
          />
        )}
        {step === 'confirm' && checked && (
          <div className="stack">
            <p className="notice notice-ok" role="status" data-testid="checked-account">
              {accountWords(checked.account)}
            </p>
            {checked.account.site !== site && <p className="notice">{t('welcome.siteFromAccount', { site: t(`welcome.sites.${checked.account.site}`) })}</p>}
            <p>{t('welcome.confirmAccount')}</p>
            <div className="actions">
              <button type="button" onClick={() => setStep('connect')}>
                {t('common.back')}
              </button>
              <button type="button" className="primary" onClick={() => setStep('pin')} autoFocus>
                {t('welcome.thisIsMine')}
              </button>
            </div>
          </div>
        )}
        {step === 'pin' && (
          <form className="form" onSubmit={savePin}>
            <p>{t('welcome.pinIntro')}</p>
            <label className="field">
              <span>{t('welcome.newPin')}</span>
              <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} autoFocus />
            </label>
            <label className="field">
              <span>{t('welcome.repeatPin')}</span>
              <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin2} onChange={(e) => setPin2(e.target.value.replace(/\D/g, ''))} />
            </label>
            {error && <ErrorNotice error={error} />}
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || pin.length < 4}>
                {t('common.confirm')}
              </button>
            </div>
          </form>
        )}
        {step === 'shop' && (
          <form className="form" onSubmit={finish}>
            <label className="field">
              <span>{t('settings.shopName')}</span>
              <input value={shop.shopName} maxLength={60} onChange={(e) => setShop({ ...shop, shopName: e.target.value })} autoFocus />
            </label>
            <label className="field">
              <span>{t('settings.registerId')}</span>
              <input value={shop.registerId} maxLength={32} required onChange={(e) => setShop({ ...shop, registerId: e.target.value })} />
            </label>
            {error && <ErrorNotice error={error} />}
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || !shop.registerId.trim()}>
                {t('welcome.start')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
