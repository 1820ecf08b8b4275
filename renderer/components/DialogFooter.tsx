import { useTranslation } from 'react-i18next';
import type { ShownError } from '../lib/errors';
import { ErrorNotice } from './ErrorNotice';

/**
 * The end of every form dialog: what is wrong with the form (announced), what main refused, then
 * Cancel and the submit button. One place, so every dialog reads and sounds the same.
 */
export function DialogFooter({
  formError,
  error,
  onCancel,
  submitLabel,
}: {
  formError?: string | null;
  error?: ShownError | null;
  onCancel: () => void;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
    </>
  );
}
