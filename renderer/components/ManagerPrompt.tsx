import { useTranslation } from 'react-i18next';
import { useManagerStore } from '../stores/manager-store';
import { Modal } from './Modal';
import { PinPad } from './PinPad';

/**
 * "A manager must do this": the PIN dialog that opens where the cashier is (a refund, a setting, an
 * import) when main refused the action while the session was locked. Unlocking retries the action
 * once; cancelling leaves main's refusal on screen.
 */
export function ManagerPrompt() {
  const { t } = useTranslation();
  const prompt = useManagerStore((s) => s.prompt);
  if (!prompt) return null;
  const cancel = () => prompt(false);
  return (
    <Modal title={t('manager.promptTitle')} onClose={cancel}>
      <PinPad
        intro={<p>{t('manager.promptHelp')}</p>}
        onUnlocked={() => prompt(true)}
        before={
          <button type="button" onClick={cancel}>
            {t('common.cancel')}
          </button>
        }
      />
    </Modal>
  );
}
