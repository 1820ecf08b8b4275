/**
 * Scrubs Mercado Pago access tokens (and bearer headers) out of anything headed for a log or a
 * crash report. Applied at the logger, so no call site has to remember it.
 */
const TOKEN = /\b(APP_USR|TEST)-[A-Za-z0-9_-]{8,}/g;
const BEARER = /(Bearer\s+)[^\s"']+/gi;
/** A connection URL's password (the shop's PostgreSQL): `postgres://user:secret@host` keeps the user. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)[^\s@"']+@/gi;

export function redact(text: string): string {
  return text.replace(TOKEN, '$1-[redacted]').replace(BEARER, '$1[redacted]').replace(URL_PASSWORD, '$1[redacted]@');
}

export function redactData(data: unknown): unknown {
  if (typeof data === 'string') return redact(data);
  if (Array.isArray(data)) return data.map(redactData);
  if (data && typeof data === 'object') {
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, /token|authorization|secret|password/i.test(k) ? '[redacted]' : redactData(v)]),
    );
  }
  return data;
}
