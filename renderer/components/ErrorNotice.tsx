import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ShownError } from '../lib/errors';

/** An error as the cashier reads it: the translated sentence, main's specifics underneath. */
export function ErrorNotice({ error, onDismiss }: { error: ShownError; onDismiss?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert" data-code={error.code}>
      <div>
        <strong>{error.text}</strong>
        {error.detail && <div className="notice-detail">{error.detail}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label={t('common.close')}>
          <X aria-hidden size={18} />
        </button>
      )}
    </div>
  );
}
