// Why the domain refused a request. Domain modules cannot know HTTP (they never import api/),
// so they name the kind of refusal and api/ maps each kind to its status code.

export type RejectionKind =
  | 'invalid' // 400: the input is wrong
  | 'unauthenticated' // 401
  | 'forbidden' // 403: known caller, not allowed
  | 'not_found' // 404: absent, or not visible to this caller
  | 'conflict' // 409: valid, but not possible in the current state
  | 'gone' // 410: a confirmation token that is expired, tampered with or used
  | 'rate_limited' // 429
  | 'unavailable'; // 503: the deployment lacks a setting or a dependency is down

export class Rejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** For rate_limited: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export const invalid = (code: string, message: string, field?: string): Rejection => new Rejection('invalid', code, message, field);
export const notFound = (what: string): Rejection => new Rejection('not_found', 'not_found', `no such ${what}`);
export const forbidden = (message: string): Rejection => new Rejection('forbidden', 'forbidden', message);

/** The first problem zod found, as a 400 naming the field (the domain's twin of api's fromZodError). */
export function fromZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): Rejection {
  const issue = issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  const message = issue?.code === 'unrecognized_keys' && issue.keys ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid input');
  return invalid('validation', message, field);
}
