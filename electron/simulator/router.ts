/**
 * A tiny route table: `/a/:param/b` patterns, first match wins (so literal paths such as
 * `/v1/payments/search` are listed before `/v1/payments/:id`). A path that matches with another
 * method answers 405, an unknown path 404.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimCore } from './core';
import type { ErrorFamily } from './errors';
import type { SeedAccount } from './seed';

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** Parsed JSON, or undefined when the request had no body. */
  body: unknown;
  account: SeedAccount;
  core: SimCore;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  family: ErrorFamily;
  /**
   * The old mobile family also takes the token as `?access_token=` (its own docs send it that way);
   * every other route wants `Authorization: Bearer` only.
   */
  queryToken?: boolean;
  handler(ctx: RequestContext): Reply;
}

interface Compiled extends Route {
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong_method'; family: ErrorFamily; allow: string[] }
  | { kind: 'not_found'; family: ErrorFamily };

export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: Route[]): this {
    for (const r of routes) this.routes.push({ ...r, segments: r.pattern.split('/').filter(Boolean) });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let parts: string[];
    try {
      parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return { kind: 'not_found', family: familyOfPath(path) };
    }
    const allow: string[] = [];
    let family: ErrorFamily | null = null;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === method) return { kind: 'found', route: r, params };
      allow.push(r.method);
      family ??= r.family;
    }
    if (allow.length > 0) return { kind: 'wrong_method', family: family!, allow: [...new Set(allow)] };
    return { kind: 'not_found', family: familyOfPath(path) };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = part;
    else if (p !== part) return null;
  }
  return params;
}

export function familyOfPath(path: string): ErrorFamily {
  return path.startsWith('/v1/orders') || path.startsWith('/terminals/') ? 'orders' : 'mp';
}
