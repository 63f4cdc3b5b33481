import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryIdFor, requestIdFor } from '../../../functions/alerts/sender.js';
import { DeliveryRetryQueue, DELIVERY_RETRY_QUEUE } from '../../../functions/storage/delivery-retries.js';
import { DeliveryStore } from '../../../functions/storage/deliveries.js';
import { encodeQueueMessage } from '../../../functions/storage/queue-messages.js';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/runtime.js';

// The queue-triggered `delivery-retry` function carries on a stored delivery when its retry
// message surfaces: the path every failed send takes later, run by the local runtime's
// queue poller as the Functions host would.

describe('delivery retries through the queue', () => {
  let t: TestRuntime;

  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t?.stop());

  it('finishes a delivery that was waiting for its retry', async () => {
    const deliveries = new DeliveryStore(t.runtime.services.storage);
    const key = 'incident-x:owner:1';
    const id = deliveryIdFor(key);
    const past = new Date(Date.now() - 60_000).toISOString();
    await deliveries.createOrGet({
      id,
      idempotencyKey: key,
      message: { channel: 'email', to: 'late@example.com', subject: 'Down', text: 'Shop is down' },
      status: 'retrying',
      transport: 'outbox',
      attempts: 1,
      requestId: requestIdFor(key, 0),
      firstSentAt: past,
      mayHaveBeenSent: false,
      nextAttemptAt: past,
      lastError: 'HTTP 429: throttled',
      createdAt: past,
      updatedAt: past,
    });
    await new DeliveryRetryQueue(t.runtime.services.storage).schedule(id, 0);

    const done = await waitFor(async () => {
      const d = await deliveries.get(id);
      return d?.status === 'sent' ? d : undefined;
    }, 20_000, 'the retry to deliver');
    expect(done.attempts).toBe(2);
    const outbox = (await t.api('dev/outbox')).json as Array<{ to: string; body: string }>;
    expect(outbox.filter((m) => m.to === 'late@example.com')).toEqual([expect.objectContaining({ body: 'Shop is down' })]);
  });

  it('drops a planned retry once its channel is removed', async () => {
    const deliveries = new DeliveryStore(t.runtime.services.storage);
    const key = 'incident-y:removed:1';
    const id = deliveryIdFor(key);
    const past = new Date(Date.now() - 60_000).toISOString();
    await deliveries.createOrGet({
      id,
      idempotencyKey: key,
      message: { channel: 'sms', to: '+14155550111', text: 'Shop is down', destination: { accountId: `a${'r'.repeat(20)}`, channelId: `c${'r'.repeat(20)}` } },
      status: 'retrying',
      transport: 'outbox',
      attempts: 1,
      requestId: requestIdFor(key, 0),
      firstSentAt: past,
      mayHaveBeenSent: false,
      nextAttemptAt: past,
      createdAt: past,
      updatedAt: past,
    });
    await new DeliveryRetryQueue(t.runtime.services.storage).schedule(id, 0);
    const done = await waitFor(async () => {
      const d = await deliveries.get(id);
      return d?.status === 'failed' ? d : undefined;
    }, 20_000, 'the retry to be dropped');
    expect(done.lastError).toMatch(/channel was removed/);
    const outbox = (await t.api('dev/outbox')).json as Array<{ to: string }>;
    expect(outbox.some((m) => m.to === '+14155550111')).toBe(false);
  });

  it('drops messages that are not retry requests without failing', async () => {
    const queue = t.runtime.services.storage.queue(DELIVERY_RETRY_QUEUE);
    await queue.sendMessage(encodeQueueMessage({ deliveryId: '../../etc' }));
    await waitFor(async () => (await queue.getProperties()).approximateMessagesCount === 0 || undefined, 20_000, 'the queue to drain');
    expect(t.logs.some((l) => l.includes('ignoring a malformed message'))).toBe(true);
    expect(t.logs.some((l) => l.includes('delivery-retry failed'))).toBe(false);
  });
});
