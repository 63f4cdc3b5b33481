import { createHash } from 'node:crypto';
import type { Logger } from '../runtime.js';
import type { Delivery, DeliveryStatus, DeliveryStore } from '../storage/deliveries.js';
import type { Channel, ChannelKind, DeliveryOutcome, OutgoingMessage } from './message.js';

// The one way a message leaves the app: send(message, { idempotencyKey }) → SendResult.
//
// - The message is stored (table `deliveries`) before the first try and keeps its status,
//   so nothing is lost when a provider fails or the process dies.
// - One idempotency key, one message: sending again with the same key answers the stored
//   result (or carries on an unfinished delivery); it never sends a second copy.
// - Failures are classified by the channel. `never` ends the delivery as failed. `safe`
//   (throttled, refused) and `uncertain` (5xx, timeout) are retried: a few times at once,
//   then later through the `delivery-retries` queue. An uncertain try is retried only with
//   the same requestId and inside the provider's repeatability window, so the provider
//   drops a duplicate; past that window it is reported failed, flagged mayHaveBeenSent,
//   rather than risk sending twice.

export interface SendOptions {
  readonly idempotencyKey: string;
  readonly log?: Pick<Logger, 'warn'>;
}

export interface SendResult {
  readonly deliveryId: string;
  /** `sending`: another caller is trying right now; `retrying`: a retry is planned at nextAttemptAt. */
  readonly status: DeliveryStatus;
  readonly transport: string;
  readonly attempts: number;
  readonly mayHaveBeenSent: boolean;
  readonly providerId?: string;
  readonly error?: string;
  readonly nextAttemptAt?: string;
}

export interface RetryScheduler {
  schedule(deliveryId: string, delayMs: number): Promise<void>;
}

export interface RetryPolicy {
  /** Waits between the tries made at once (within one call). */
  readonly quickDelaysMs: readonly number[];
  /** A Retry-After longer than this is not waited for in the call; the retry is queued. */
  readonly maxQuickWaitMs: number;
  /** Waits before the later, queued tries. */
  readonly laterDelaysMs: readonly number[];
  readonly maxAttempts: number;
  /** How long one caller owns an unfinished delivery before another may take it over. */
  readonly leaseMs: number;
  /** Time budget of one try. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  quickDelaysMs: [250, 1000],
  maxQuickWaitMs: 2000,
  // 30 s and 2 min keep uncertain ACS retries inside its 5-minute repeatability window.
  laterDelaysMs: [30_000, 120_000, 600_000, 1_800_000, 3_600_000],
  maxAttempts: 8,
  leaseMs: 120_000,
  attemptTimeoutMs: 30_000,
};

/** A delivery row holds the message as JSON in one string property (Table Storage: 32K characters). */
const MAX_MESSAGE_CHARS = 30_000;

/** Keep this much of a repeatability window unused: clocks differ and requests take time. */
const WINDOW_MARGIN_MS = 30_000;

export interface SenderOptions {
  readonly deliveries: DeliveryStore;
  readonly retries: RetryScheduler;
  readonly channels: Partial<Record<ChannelKind, Channel>>;
  readonly policy?: Partial<RetryPolicy>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether a message's destination still wants it (its channel may have been removed since). */
  readonly stillWanted?: (message: OutgoingMessage) => Promise<boolean>;
}

export class Sender {
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SenderOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  /** Whether messages of this kind can be sent here (SMS needs SM_SMS_SENDER with ACS). */
  supports(kind: ChannelKind): boolean {
    return this.options.channels[kind] !== undefined;
  }

  /** Where messages of this kind go: `acs`, `webhook`, `outbox`; undefined when unsupported. */
  transportOf(kind: ChannelKind): string | undefined {
    return this.options.channels[kind]?.transport;
  }

  async send(message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
    if (JSON.stringify(message).length > MAX_MESSAGE_CHARS) throw new Error(`a message is limited to ${MAX_MESSAGE_CHARS} characters of JSON`);
    const channel = this.options.channels[message.channel];
    const now = this.now();
    const id = deliveryIdFor(options.idempotencyKey);
    const draft: Delivery = {
      id,
      idempotencyKey: options.idempotencyKey,
      message,
      status: 'sending',
      transport: channel?.transport ?? 'none',
      attempts: 0,
      requestId: requestIdFor(options.idempotencyKey, 0),
      firstSentAt: iso(now),
      mayHaveBeenSent: false,
      leaseUntil: iso(now + this.policy.leaseMs),
      createdAt: iso(now),
      updatedAt: iso(now),
    };
    if (!channel) {
      // Kept, and reported: e.g. an SMS channel verified before SM_SMS_SENDER was removed.
      const { delivery } = await this.options.deliveries.createOrGet({ ...draft, status: 'failed', leaseUntil: undefined, lastError: `no ${message.channel} channel is configured here` });
      return resultOf(delivery);
    }
    const { created, delivery } = await this.options.deliveries.createOrGet(draft);
    if (!created) return this.resume(delivery, options);
    // A guard retry for the case this process dies mid-try; it finds nothing to do otherwise.
    if (channel.transport !== 'outbox') await this.options.retries.schedule(id, this.policy.leaseMs);
    return this.run(delivery, channel, options);
  }

  /** Carries on a delivery whose retry is due (the `delivery-retry` queue function). */
  async retry(deliveryId: string, options: Omit<SendOptions, 'idempotencyKey'> = {}): Promise<SendResult | undefined> {
    const delivery = await this.options.deliveries.get(deliveryId);
    return delivery ? this.resume(delivery, { idempotencyKey: delivery.idempotencyKey, ...options }) : undefined;
  }

  /** The stored state of the delivery made with this key, if any. */
  async status(idempotencyKey: string): Promise<SendResult | undefined> {
    const delivery = await this.options.deliveries.get(deliveryIdFor(idempotencyKey));
    return delivery ? resultOf(delivery) : undefined;
  }

  private async resume(delivery: Delivery, options: SendOptions): Promise<SendResult> {
    const now = this.now();
    if (delivery.status === 'sent' || delivery.status === 'failed') return resultOf(delivery);
    if (delivery.status === 'sending' && Date.parse(delivery.leaseUntil ?? '') > now) return resultOf(delivery);
    // Queue messages may surface a moment early; a second is not worth another round.
    if (delivery.status === 'retrying' && Date.parse(delivery.nextAttemptAt ?? '') > now + 1000) return resultOf(delivery);
    const channel = this.options.channels[delivery.message.channel];
    if (!channel) return this.finish(delivery, { status: 'failed', leaseUntil: undefined, lastError: `no ${delivery.message.channel} channel is configured here` }, options);
    if (this.options.stillWanted && !(await this.options.stillWanted(delivery.message))) {
      return this.finish(delivery, { status: 'failed', leaseUntil: undefined, lastError: 'not sent: the channel was removed' }, options);
    }
    const window = channel.repeatabilityWindowMs;
    const windowPassed = window !== undefined && Date.parse(delivery.firstSentAt ?? '') + window - WINDOW_MARGIN_MS < now;
    if (windowPassed && delivery.mayHaveBeenSent) {
      return this.finish(delivery, { status: 'failed', lastError: giveUpMessage(delivery.lastError) }, options);
    }
    const claimed = await this.options.deliveries.replace(delivery, {
      ...delivery,
      status: 'sending',
      leaseUntil: iso(now + this.policy.leaseMs),
      updatedAt: iso(now),
      nextAttemptAt: undefined,
      // Nothing of the old series reached the provider: a new series may start afresh.
      ...(windowPassed ? { requestId: requestIdFor(delivery.idempotencyKey, delivery.attempts), firstSentAt: iso(now) } : {}),
    });
    if (!claimed) return this.reread(delivery);
    return this.run(claimed, channel, options);
  }

  /** Tries now, a few times if that helps, and records how it ended. */
  private async run(delivery: Delivery, channel: Channel, options: SendOptions): Promise<SendResult> {
    let attempts = delivery.attempts;
    let mayHaveBeenSent = delivery.mayHaveBeenSent;
    let outcome: DeliveryOutcome;
    for (let quick = 0; ; quick++) {
      outcome = await channel
        .deliver(delivery.message, {
          requestId: delivery.requestId,
          firstSentAt: new Date(Date.parse(delivery.firstSentAt ?? iso(this.now()))),
          idempotencyKey: delivery.idempotencyKey,
          signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
        })
        .catch((err: unknown): DeliveryOutcome => ({ ok: false, retry: 'uncertain', error: String(err) }));
      attempts++;
      if (outcome.ok || outcome.retry === 'never') break;
      if (outcome.retry === 'uncertain') mayHaveBeenSent = true;
      const wait = Math.max(this.policy.quickDelaysMs[quick] ?? Infinity, outcome.retryAfterMs ?? 0);
      if (attempts >= this.policy.maxAttempts || quick >= this.policy.quickDelaysMs.length || wait > this.policy.maxQuickWaitMs) break;
      await this.sleep(wait);
    }
    const now = this.now();
    const base = { attempts, mayHaveBeenSent, leaseUntil: undefined, updatedAt: iso(now) };
    if (outcome.ok) {
      return this.finish(delivery, { ...base, status: 'sent', sentAt: iso(now), lastError: undefined, ...(outcome.providerId ? { providerId: outcome.providerId } : {}) }, options);
    }
    if (outcome.retry === 'never' || attempts >= this.policy.maxAttempts) {
      return this.finish(delivery, { ...base, status: 'failed', lastError: outcome.error }, options);
    }
    const later = this.policy.laterDelaysMs[Math.min(this.laterIndex(attempts), this.policy.laterDelaysMs.length - 1)]!;
    const delay = Math.max(later, outcome.retryAfterMs ?? 0);
    const window = channel.repeatabilityWindowMs;
    if (mayHaveBeenSent && window !== undefined && now + delay > Date.parse(delivery.firstSentAt ?? '') + window - WINDOW_MARGIN_MS) {
      return this.finish(delivery, { ...base, status: 'failed', lastError: giveUpMessage(outcome.error) }, options);
    }
    const result = await this.finish(delivery, { ...base, status: 'retrying', lastError: outcome.error, nextAttemptAt: iso(now + delay) }, options);
    if (result.status === 'retrying') await this.options.retries.schedule(delivery.id, delay);
    return result;
  }

  /** Which later delay comes next: quick tries do not count, only earlier rounds. */
  private laterIndex(attempts: number): number {
    return Math.max(0, Math.ceil(attempts / (this.policy.quickDelaysMs.length + 1)) - 1);
  }

  private async finish(delivery: Delivery, changes: Partial<Delivery>, options: SendOptions): Promise<SendResult> {
    const next = { ...delivery, ...changes } as Delivery;
    const written = await this.options.deliveries.replace(delivery, next);
    if (!written) return this.reread(delivery);
    if (next.status !== 'sent') {
      options.log?.warn(`delivery ${next.status}`, {
        deliveryId: next.id,
        channel: next.message.channel,
        transport: next.transport,
        attempts: next.attempts,
        error: next.lastError,
        ...(next.nextAttemptAt ? { nextAttemptAt: next.nextAttemptAt } : {}),
      });
    }
    return resultOf(written);
  }

  /** Someone else changed the row meanwhile: theirs is the current truth. */
  private async reread(delivery: Delivery): Promise<SendResult> {
    const current = await this.options.deliveries.get(delivery.id);
    return resultOf(current ?? delivery);
  }

}

export function deliveryIdFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
}

/** A UUID derived from the key and series: providers want a GUID for repeatability. */
export function requestIdFor(idempotencyKey: string, series: number): string {
  const h = createHash('sha256').update(`${idempotencyKey}#${series}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function resultOf(d: Delivery): SendResult {
  return {
    deliveryId: d.id,
    status: d.status,
    transport: d.transport,
    attempts: d.attempts,
    mayHaveBeenSent: d.mayHaveBeenSent,
    ...(d.providerId ? { providerId: d.providerId } : {}),
    ...(d.lastError && d.status !== 'sent' ? { error: d.lastError } : {}),
    ...(d.nextAttemptAt && d.status === 'retrying' ? { nextAttemptAt: d.nextAttemptAt } : {}),
  };
}

function giveUpMessage(lastError: string | undefined): string {
  return `not retried: the provider may have sent it and can no longer tell a repeat apart (last error: ${lastError ?? 'unknown'})`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
