import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}

const FOCUSABLE =
  'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/** A modal dialog that keeps focus inside, closes on Esc, and hands focus back to where it came from. */
export function Modal({ title, onClose, children, wide }: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first =
      ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    // Focus can fall out of the dialog (a button it was on became disabled): Esc must still close it.
    const onStrayEscape = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !ref.current?.contains(e.target as Node)) {
        e.stopPropagation();
        closeRef.current();
      }
    };
    document.addEventListener('keydown', onStrayEscape);
    return () => {
      document.removeEventListener('keydown', onStrayEscape);
      previous?.focus();
    };
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeRef.current()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={wide ? 'modal modal-wide' : 'modal'}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            // Esc closes the dialog only; it must not also cancel a charge behind it.
            e.stopPropagation();
            closeRef.current();
          } else if (e.key === 'Tab') {
            const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
            const first = items[0];
            const last = items[items.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
          // F-keys belong to the screen behind; keep them from acting while a dialog is open.
          if (/^F\d+$/.test(e.key)) e.stopPropagation();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
