import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DomainContext } from '../accounts/context.js';
import { Rejection, type RejectionKind } from '../accounts/errors.js';
import { authenticate, type Access, type Caller } from '../accounts/keys.js';
import { DEFAULT_TOKEN_TTL_MS } from '../accounts/tokens.js';
import type { Resolve } from '../monitors/target-policy.js';
import type { FunctionContext } from '../runtime.js';
import { ApiError } from './errors.js';
import { handle, json } from './http.js';

// The seam between HTTP and the account/monitor domain: the per-request domain context,
// the caller behind the API key, and domain refusals turned into API.md errors.

/** Test-only knobs of the account and monitor routes; production uses the defaults. */
export interface AccountsApiOptions {
  /** The clock of tokens and rate limits (tests move it to expire a token). */
  readonly now?: () => number;
  readonly tokenTtlMs?: number;
  /** How save-time SSRF checks resolve names (tests point a name at a private address). */
  readonly resolve?: Resolve;
}

export function domainContext(context: FunctionContext, options: AccountsApiOptions): DomainContext {
  return {
    storage: context.services.storage,
    sender: context.services.sender,
    config: context.config,
    now: options.now ?? Date.now,
    tokenTtlMs: options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    log: context,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  };
}

/** The caller of an authenticated route; 401 without a valid key, 403 for a read-only key on a write. */
function callerOf(request: HttpRequest, ctx: DomainContext, access: Access): Promise<Caller> {
  return authenticate(ctx, request.headers.get('authorization'), access);
}

const STATUS: Record<RejectionKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  unavailable: 503,
};

export function statusOf(rejection: Rejection): number {
  return STATUS[rejection.kind];
}

export function toApiError(rejection: Rejection): ApiError {
  return new ApiError(statusOf(rejection), rejection.code, rejection.message, rejection.field);
}

/** handle() for domain routes: a Rejection becomes its 4xx (with Retry-After or WWW-Authenticate where due). */
export function handleDomain(handler: (request: HttpRequest, context: FunctionContext) => Promise<HttpResponseInit>) {
  return handle(async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      if (!(err instanceof Rejection)) throw err;
      return rejectionResponse(err);
    }
  });
}

/**
 * handleDomain() for authenticated routes: the caller is known before anything else is
 * read. GET needs a key that reads; every other method one that writes (401 without a valid
 * key, 403 for a read-only key on a write).
 */
export function handleCaller(
  options: AccountsApiOptions,
  handler: (request: HttpRequest, caller: Caller, ctx: DomainContext, context: FunctionContext) => Promise<HttpResponseInit>,
) {
  return handleDomain(async (request, context) => {
    const ctx = domainContext(context, options);
    const caller = await callerOf(request, ctx, request.method === 'GET' ? 'read' : 'write');
    return handler(request, caller, ctx, context);
  });
}

export function rejectionResponse(rejection: Rejection): HttpResponseInit {
  const headers: Record<string, string> = {};
  if (rejection.retryAfterSeconds !== undefined) headers['retry-after'] = String(rejection.retryAfterSeconds);
  if (rejection.kind === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  return json(statusOf(rejection), toApiError(rejection).body(), headers);
}

/** A path parameter that must be an id of this shape; anything else is a 404 before storage is asked. */
export function pathId(request: HttpRequest, name: string, pattern: RegExp, what: string): string {
  const value = request.params[name] ?? '';
  if (!pattern.test(value)) throw new Rejection('not_found', 'not_found', `no such ${what}`);
  return value;
}
