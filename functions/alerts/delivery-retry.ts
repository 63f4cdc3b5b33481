import type { FunctionContext } from '../runtime.js';
import { deliveryRetryMessageSchema } from '../storage/delivery-retries.js';

/** Queue trigger of `delivery-retries`: carries on a delivery whose retry is due. */
export async function retryDelivery(message: unknown, context: FunctionContext): Promise<void> {
  const parsed = deliveryRetryMessageSchema.safeParse(message);
  if (!parsed.success) {
    // Not ours or damaged: retrying it would only move it to the poison queue later.
    context.warn('delivery-retry: ignoring a malformed message');
    return;
  }
  const result = await context.services.sender.retry(parsed.data.deliveryId, { log: context });
  if (result) context.log('delivery-retry', { deliveryId: result.deliveryId, status: result.status, attempts: result.attempts });
}
