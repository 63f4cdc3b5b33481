import { z } from 'zod';
import type { ErrorBody } from '../runtime.js';

// Every error a client can see. Handlers throw ApiError; the HTTP wrapper turns it into the
// API.md error body. Anything else that escapes is a bug or an outage, never the client's.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation' }),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The first problem zod found, as a 400 naming the field. */
export function fromZodError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  const path = issue ? [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') : prefix;
  let message = issue?.message ?? 'invalid input';
  if (issue?.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  return new ApiError(400, 'validation', message, path || undefined);
}
