import { useTranslation } from 'react-i18next';
import type { ShownError } from '../lib/errors';
import { ErrorNotice } from './ErrorNotice';

/** A settings form's footer: what went wrong, "Saved" once it is, and the Save button. */
export function SaveActions({ error, saved, disabled = false }: { error: ShownError | null; saved: boolean; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        {saved && (
          <span className="muted" role="status">
            {t('common.saved')}
          </span>
        )}
        <button type="submit" className="primary" disabled={disabled}>
          {t('common.save')}
        </button>
      </div>
    </>
  );
}
