import { z } from 'zod';
import { encodeQueueMessage } from './queue-messages.js';
import type { Storage } from './storage.js';

// Queue `delivery-retries`: one message per planned retry of a delivery, made visible when
// the retry is due. The queue-triggered function `delivery-retry` takes it from there, so
// retries survive restarts and run wherever the Functions host has capacity.

export const DELIVERY_RETRY_QUEUE = 'delivery-retries';

export const deliveryRetryMessageSchema = z.object({ deliveryId: z.string().regex(/^[0-9a-f]{32}$/) });
export type DeliveryRetryMessage = z.infer<typeof deliveryRetryMessageSchema>;

/** Storage queues hide a message for at most 7 days. */
const MAX_DELAY_S = 7 * 24 * 60 * 60;

export class DeliveryRetryQueue {
  constructor(private readonly storage: Storage) {}

  async schedule(deliveryId: string, delayMs: number): Promise<void> {
    const visibilityTimeout = Math.min(MAX_DELAY_S, Math.max(0, Math.ceil(delayMs / 1000)));
    const message: DeliveryRetryMessage = { deliveryId };
    await this.storage.queue(DELIVERY_RETRY_QUEUE).sendMessage(encodeQueueMessage(message), { visibilityTimeout });
  }
}
