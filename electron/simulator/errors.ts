/**
 * The two error shapes Mercado Pago answers with. Handlers throw `ApiError`; the server renders it in
 * the shape of the family the route belongs to, so a client never sees the wrong dialect.
 */
export type ErrorFamily = 'mp' | 'orders';

const MP_ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  423: 'locked',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Machine code: `cause[0].code` (mp) or `errors[0].code` (orders). */
    readonly code: string,
    message: string,
    readonly details: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorName(status: number): string {
  return MP_ERROR_NAMES[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request');
}

export function renderError(family: ErrorFamily, error: ApiError): unknown {
  if (family === 'orders') {
    return { errors: [{ code: error.code, message: error.message, details: error.details }] };
  }
  const cause = [{ code: error.code, description: error.details[0] ?? error.message }];
  for (const d of error.details.slice(1)) cause.push({ code: error.code, description: d });
  return { message: error.message, error: errorName(error.status), status: error.status, cause };
}

export const badRequest = (code: string, message: string, details: string[] = []) => new ApiError(400, code, message, details);
export const notFound = (code: string, message: string) => new ApiError(404, code, message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
