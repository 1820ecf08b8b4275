import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, dateOrder, formatDay, localDay, parseDay } from '../lib/dates';
import { useAppStore } from '../stores/app-store';

/**
 * A day, written and read in the language chosen in Caja. `<input type="date">` shows the browser's
 * own locale (a Spanish till on an English Windows asks for mm/dd/yyyy), so this is a text field that
 * takes the order of the app's language, accepts what people type ("1/12/26"), steps a day with ↑/↓
 * and says plainly when a date cannot be read. The value stays YYYY-MM-DD, as the journal files days.
 */
export function DateField({
  label,
  value,
  onChange,
  required = false,
}: {
  label: string;
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  onChange: (day: string) => void;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useAppStore((s) => s.locale);
  const [text, setText] = useState(() => formatDay(value, locale));
  const [invalid, setInvalid] = useState(false);
  const hintId = useId();

  // A value from outside (or a new language) rewrites the text, unless it is what is being typed.
  const [seen, setSeen] = useState({ value, locale });
  if (seen.value !== value || seen.locale !== locale) {
    setSeen({ value, locale });
    if (seen.locale !== locale || (parseDay(text, locale) ?? '') !== value) {
      setText(formatDay(value, locale));
      setInvalid(false);
    }
  }

  const { order, separator } = dateOrder(locale);
  const letters = { day: t('dateField.day'), month: t('dateField.month'), year: t('dateField.year') };
  const pattern = order.map((part) => letters[part]).join(separator);

  const read = (typed: string) => {
    if (typed.trim() === '' && !required) return '';
    return parseDay(typed, locale);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const from = read(text) || value || localDay();
    onChange(addDays(from, e.key === 'ArrowUp' ? 1 : -1));
  };

  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder={pattern}
        required={required}
        aria-invalid={invalid || undefined}
        aria-describedby={hintId}
        onChange={(e) => {
          setText(e.target.value);
          const day = read(e.target.value);
          setInvalid(false);
          if (day !== null && day !== value) onChange(day);
        }}
        onBlur={() => {
          const day = read(text);
          if (day === null) setInvalid(true);
          else setText(formatDay(day, locale));
        }}
        onKeyDown={onKeyDown}
      />
      {/* The pattern is read out always; it is shown when the text cannot be read as a date. */}
      <small id={hintId} className={invalid ? 'field-error' : 'sr-only'}>
        {invalid ? t('dateField.invalid', { pattern }) : `${pattern}. ${t('dateField.hint')}`}
      </small>
    </label>
  );
}
