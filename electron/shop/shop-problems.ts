/**
 * What can go wrong with the shop's PostgreSQL, as codes: the renderer words them, the sync decides
 * from them whether to retry (the server or the network) or wait for the manager (a setting to fix).
 */
/**
 * Why the shop's database cannot be used right now, as a code the renderer words:
 * `auth` wrong user or password · `unreachable` no answer (host, port, network, server down) ·
 * `tls` the TLS handshake or certificate failed · `no-database` the database does not exist ·
 * `schema-newer` another till upgraded the schema past this version of Caja · `bad-url` the URL is
 * not a PostgreSQL URL · `unknown` anything else (logged with its SQLSTATE).
 */
export type ShopProblem = 'auth' | 'unreachable' | 'tls' | 'no-database' | 'schema-newer' | 'bad-url' | 'unknown';

export class ShopDbError extends Error {
  constructor(
    readonly problem: ShopProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ShopDbError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// SQLSTATEs of a server going away under us (admin shutdown, crash, cannot connect now).
const GONE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

/** Maps whatever pg or the network threw to a problem code. */
export function classifyPgError(error: unknown): ShopProblem {
  if (error instanceof ShopDbError) return error.problem;
  const e = error as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  const message = e?.message ?? '';
  if (code === '28P01' || code === '28000') return 'auth';
  if (code === '3D000') return 'no-database';
  if (NETWORK_CODES.has(code) || GONE_SQLSTATES.has(code)) return 'unreachable';
  if (/timeout|terminated|Connection terminated|connect ECONN|socket/i.test(message)) return 'unreachable';
  if (/SSL|TLS|certificate|self[- ]signed/i.test(message) || code.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return 'tls';
  return 'unknown';
}

/** True when retrying later can help (the server or the network), false for a setting to fix. */
export const isTransient = (problem: ShopProblem) => problem === 'unreachable' || problem === 'unknown';

