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
