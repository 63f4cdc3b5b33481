import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import type { FunctionContext } from '../runtime.js';
import { ApiError, fromZodError } from './errors.js';

// The small HTTP toolkit every handler uses: parse and validate input, shape output,
// and turn failures into the API.md error body.

export const MAX_BODY_BYTES = 64 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'cache-control': 'no-store', ...headers } };
}

export function noContent(): HttpResponseInit {
  return { status: 204 };
}

export function html(status: number, page: string): HttpResponseInit {
  return {
    status,
    body: page,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'x-frame-options': 'DENY',
    },
  };
}

export function errorResponse(error: ApiError): HttpResponseInit {
  return json(error.status, error.body());
}

/** Reads a JSON body and validates it; every way it can be wrong is a 4xx. */
export async function readJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get('content-type');
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type.trim())) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  if (!text.trim()) throw new ApiError(400, 'invalid_json', 'a JSON body is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

/** Validates the query string (all values are strings; schemas coerce). */
export function readQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.infer<S> {
  const query: Record<string, string> = {};
  for (const [key, value] of request.query.entries()) query[key] = value;
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
}

type Handler = (request: HttpRequest, context: FunctionContext) => Promise<HttpResponseInit>;

/**
 * Wraps a handler so that an ApiError becomes its 4xx, storage trouble a 503, and anything
 * else a logged 500 that reveals nothing.
 */
export function handle(handler: Handler): Handler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err);
      if (isStorageUnavailable(err)) {
        context.error('storage unavailable', { error: String(err) });
        return errorResponse(new ApiError(503, 'storage_unavailable', 'storage is unreachable; try again shortly'));
      }
      context.error('unhandled error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return errorResponse(new ApiError(500, 'internal', 'internal error'));
    }
  };
}

/** A storage call that never got an HTTP answer (refused, reset, timed out). */
export function isStorageUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; statusCode?: number; code?: string };
  if (e.name === 'RestError' && e.statusCode === undefined) return true;
  if (e.name === 'AbortError') return true;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(e.code ?? '');
}
