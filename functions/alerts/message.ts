import { z } from 'zod';

// A message on its way out, and what each channel answers when asked to carry it. Every
// channel (email, sms, webhook, outbox) has the same shape: deliver(message, attempt) →
// outcome, so the sender treats them alike and a new channel is one more file.

export const CHANNEL_KINDS = ['email', 'sms', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const outgoingMessageSchema = z.object({
  channel: z.enum(CHANNEL_KINDS),
  /** Email address, E.164 phone number, or webhook URL. */
  to: z.string().min(1),
  /** Email subject; webhooks get it as `subject`. */
  subject: z.string().optional(),
  /** Plain text: the email text part, the SMS, the webhook's `text`. */
  text: z.string(),
  html: z.string().optional(),
  /** Webhooks: extra JSON fields of the payload (type, incident, monitor, …). */
  data: z.record(z.string(), z.unknown()).optional(),
  /** Webhooks: the channel's signing key (X-SM-Signature). */
  signingSecret: z.string().optional(),
  /** The channel an alert is for: a retry is dropped once that channel is removed. */
  destination: z.object({ accountId: z.string(), channelId: z.string() }).optional(),
});
export type OutgoingMessage = z.infer<typeof outgoingMessageSchema>;

export interface DeliveryAttempt {
  /** Stable across every retry of one message: the provider's idempotency handle. */
  readonly requestId: string;
  /** When the first request with this requestId went out (ACS repeatability needs it). */
  readonly firstSentAt: Date;
  /** The caller's idempotency key, passed on where a receiver can use it (webhook header). */
  readonly idempotencyKey: string;
  readonly signal?: AbortSignal;
}

/**
 * What one try came to.
 * - `safe`: the provider did not act on it (throttled, refused a connection): send again freely.
 * - `uncertain`: it may have acted (5xx, reset, timeout): send again only with the same
 *   requestId, so the provider can drop the duplicate.
 * - `never`: it will not work (bad address, rejected content, bad credentials).
 */
export type DeliveryOutcome =
  | { readonly ok: true; readonly providerId?: string }
  | {
      readonly ok: false;
      readonly retry: 'safe' | 'uncertain' | 'never';
      readonly error: string;
      readonly status?: number;
      readonly retryAfterMs?: number;
    };

export interface Channel {
  /** Where this channel's messages really go: `acs`, `webhook` or `outbox`. */
  readonly transport: 'acs' | 'webhook' | 'outbox';
  /**
   * How long after the first try the provider still recognises a repeated requestId. An
   * `uncertain` try is retried only inside it; undefined: always (the receiver dedupes).
   */
  readonly repeatabilityWindowMs?: number;
  deliver(message: OutgoingMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
}

/** The HTTP status of an SDK or fetch error, when there was an answer. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Network errors that prove the request never reached the other side. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Failures no retry can fix: the address is refused by policy or is not an address. */
const PERMANENT_CODES = new Set(['ERR_SSRF_BLOCKED', 'ERR_INVALID_URL']);

/** Classifies an HTTP answer or network failure the same way for every HTTP channel. */
export function classifyFailure(status: number | undefined, code: string | undefined, message: string, retryAfterMs?: number): DeliveryOutcome {
  if (status === undefined) {
    if (code && PERMANENT_CODES.has(code)) return { ok: false, retry: 'never', error: `${code}: ${message}` };
    return { ok: false, retry: code && NOT_SENT_CODES.has(code) ? 'safe' : 'uncertain', error: code ? `${code}: ${message}` : message };
  }
  const failure = { ok: false as const, status, error: `HTTP ${status}: ${message}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 429) return { ...failure, retry: 'safe' };
  if (status === 408 || status >= 500) return { ...failure, retry: 'uncertain' };
  return { ...failure, retry: 'never' };
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
