/**
 * The one logging interface of main's services. Data is structured and never carries a token: the
 * callers pass ids and codes, not requests or errors from the HTTP library.
 */
export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
