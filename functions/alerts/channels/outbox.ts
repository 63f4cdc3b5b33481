import type { Outbox } from '../outbox.js';
import type { Channel, DeliveryOutcome, OutgoingMessage } from '../message.js';
import { webhookPayload } from './webhook.js';

// The outbox as a channel: used for every message in the local runtime, and for email and
// SMS in a deployment without ACS settings. Appending a line cannot half-succeed in a way a
// retry would duplicate (the sender never retries a delivered message), so it is simple.

export class OutboxChannel implements Channel {
  readonly transport = 'outbox' as const;

  constructor(private readonly outbox: Outbox) {}

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    try {
      await this.outbox.append({
        channel: message.channel,
        to: message.to,
        ...(message.subject !== undefined ? { subject: message.subject } : {}),
        body: message.channel === 'webhook' ? JSON.stringify(webhookPayload(message)) : message.text,
      });
      return { ok: true };
    } catch (err) {
      return { ok: false, retry: 'safe', error: `outbox: ${String(err)}` };
    }
  }
}
