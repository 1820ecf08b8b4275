/** The shop's local calendar day, as the journal files sales (YYYY-MM-DD). */
export function localDay(date = new Date()): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
export function formatDateTime(iso: string, locale: string, withDate = true): string {
  const key = `${locale}|${withDate}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, withDate ? { dateStyle: 'short', timeStyle: 'medium' } : { timeStyle: 'medium' });
    timeFormats.set(key, f);
  }
  return f.format(new Date(iso));
}

type DatePart = 'day' | 'month' | 'year';

const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: string): Intl.DateTimeFormat {
  let f = dayFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' });
    dayFormats.set(locale, f);
  }
  return f;
}

/** The order of day, month and year in the language's short dates ("en": month first), and its separator. */
export function dateOrder(locale: string): { order: DatePart[]; separator: string } {
  const parts = dayFormat(locale).formatToParts(new Date(2026, 11, 1));
  const order = parts.map((p) => p.type).filter((t): t is DatePart => t === 'day' || t === 'month' || t === 'year');
  return { order, separator: parts.find((p) => p.type === 'literal')?.value ?? '/' };
}

/** A YYYY-MM-DD day as the language writes it: "01/12/2026" in es-AR, "12/01/2026" in en. */
export function formatDay(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  return dayFormat(locale).format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/**
 * What a cashier typed, read in their language's order ("1/12/26", "01-12-2026", "1.12.2026"), as
 * YYYY-MM-DD; null when it is not a real day. Two-digit years are this century.
 */
export function parseDay(text: string, locale: string): string | null {
  const numbers = text.trim().split(/\D+/).filter(Boolean);
  if (numbers.length !== 3 || numbers.some((n) => n.length > 4)) return null;
  const { order } = dateOrder(locale);
  const value = (part: DatePart) => Number(numbers[order.indexOf(part)]);
  let year = value('year');
  if (numbers[order.indexOf('year')]!.length <= 2) year += 2000;
  const month = value('month');
  const day = value('day');
  const date = new Date(year, month - 1, day);
  if (year < 1000 || date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return localDay(date);
}

/** The day `delta` days from a YYYY-MM-DD day (calendar days, whatever the clock change). */
export function addDays(iso: string, delta: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return localDay(new Date(y!, m! - 1, d! + delta));
}

/** Hands a text file to the browser as a download; nothing leaves the machine. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
