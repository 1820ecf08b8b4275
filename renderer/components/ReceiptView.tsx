import { Printer } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../shared/contract';
import { call } from '../bridge';
import { LOCALES } from '../i18n';
import { describeError, type ShownError } from '../lib/errors';
import { ErrorNotice } from './ErrorNotice';

/**
 * main renders the receipt as one self-contained HTML document. It is shown in a sandboxed frame
 * (no scripts may run in it) and printed through the OS dialog, which also offers "Save as PDF".
 * allow-same-origin is what lets this page call print() on the frame; without allow-scripts the
 * receipt itself still cannot run anything.
 */
export function ReceiptView({ saleId, version }: { saleId: string; version?: string }) {
  const { t, i18n } = useTranslation();
  const locale = (LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as Locale) : undefined;
  const frame = useRef<HTMLIFrameElement>(null);
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  useEffect(() => {
    let live = true;
    call('receipt.render', { saleId, locale }).then(
      (r) => live && setHtml(r.html),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [saleId, version, locale]);

  if (error) return <ErrorNotice error={error} />;
  return (
    <div className="receipt">
      <iframe
        ref={frame}
        title={t('receipt.frame')}
        sandbox="allow-same-origin allow-modals"
        srcDoc={html ?? ''}
        className="receipt-frame"
      />
      <button type="button" onClick={() => frame.current?.contentWindow?.print()} disabled={!html}>
        <Printer aria-hidden size={18} /> {t('receipt.print')}
      </button>
    </div>
  );
}
