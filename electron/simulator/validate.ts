/** Small checks shared by the families; each family turns the collected problems into its own 400. */
import { ApiError, badRequest } from './errors';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function objectBody(body: unknown, code = 'bad_request'): Json {
  if (!isObject(body)) throw badRequest(code, 'The request body must be a JSON object', ['body must be a JSON object']);
  return body;
}

/** Collects every problem of a body so the 400 lists them all, as Mercado Pago does. */
export class Problems {
  readonly missing: string[] = [];
  readonly invalid: string[] = [];

  require(obj: Json, field: string, label = field): boolean {
    const v = obj[field];
    if (v === undefined || v === null || v === '') {
      this.missing.push(`${label} is required`);
      return false;
    }
    return true;
  }

  bad(message: string): void {
    this.invalid.push(message);
  }

  get any(): boolean {
    return this.missing.length + this.invalid.length > 0;
  }

  /** mp family: one 400 with every problem in `cause`. */
  throwMp(): void {
    if (!this.any) return;
    const code = this.missing.length > 0 ? 'required_parameter' : 'invalid_parameter';
    throw new ApiError(400, code, [...this.missing, ...this.invalid][0]!, [...this.missing, ...this.invalid]);
  }

  /** orders family: `required_properties` or `invalid_properties` with every problem in `details`. */
  throwOrders(): void {
    if (!this.any) return;
    const code = this.missing.length > 0 ? 'required_properties' : 'invalid_properties';
    const message = this.missing.length > 0 ? 'Required properties are missing' : 'Some properties have invalid values';
    throw new ApiError(400, code, message, [...this.missing, ...this.invalid]);
  }
}

/** Paging query parameters: integers within range, or a 400. */
export function pagingParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number, family: 'mp' | 'orders'): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    const details = [`${name} must be an integer from ${min} to ${max}`];
    throw new ApiError(400, family === 'orders' ? 'invalid_properties' : 'invalid_parameter', `Invalid ${name}`, details);
  }
  return n;
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? null : s;
}
