import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acsConnection } from '../../../functions/alerts/channels/acs-client-options.js';
import { AcsEmailChannel } from '../../../functions/alerts/channels/email.js';
import { AcsSmsChannel } from '../../../functions/alerts/channels/sms.js';
import type { OutgoingMessage } from '../../../functions/alerts/message.js';
import { requestIdFor, Sender, type RetryScheduler } from '../../../functions/alerts/sender.js';
import { catalog } from '../../../functions/catalog.js';
import { DeliveryRetryQueue, DELIVERY_RETRY_QUEUE } from '../../../functions/storage/delivery-retries.js';
import { DeliveryStore } from '../../../functions/storage/deliveries.js';
import { startFakeAcs, type FakeAcs } from '../../support/fake-acs.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';

// Contract tests: the real ACS SDK clients, through our channels and sender, against a fake
// ACS that checks their signatures and request shapes and fails on demand. Storage is a
// real Azurite (from a test runtime whose own retry function is left out, so that only
// this file's sender touches these deliveries).

const email = (n: number): OutgoingMessage => ({ channel: 'email', to: `oncall-${n}@example.com`, subject: `Down #${n}`, text: `Shop is down (${n})` });
const text = (n: number): OutgoingMessage => ({ channel: 'sms', to: '+14155550100', text: `Shop is down (${n})` });

describe('ACS email and SMS through the real SDK clients', () => {
  let t: TestRuntime;
  let acs: FakeAcs;
  let clock: number;
  let scheduled: Array<{ deliveryId: string; delayMs: number }>;
  let sender: Sender;
  let n = 0;

  const connection = () => acsConnection({ kind: 'connectionString', connectionString: acs.connectionString });
  const makeSender = (overrides: { emailKey?: string } = {}) => {
    const conn = overrides.emailKey
      ? acsConnection({ kind: 'connectionString', connectionString: `endpoint=${acs.url}/;accesskey=${overrides.emailKey}` })
      : connection();
    const queue = new DeliveryRetryQueue(t.runtime.services.storage);
    const retries: RetryScheduler = {
      schedule: async (deliveryId, delayMs) => {
        scheduled.push({ deliveryId, delayMs });
        await queue.schedule(deliveryId, delayMs);
      },
    };
    return new Sender({
      deliveries: new DeliveryStore(t.runtime.services.storage),
      retries,
      channels: {
        email: new AcsEmailChannel(conn, 'DoNotReply@alerts.example.net', { pollIntervalMs: 5, pollTimeoutMs: 5000 }),
        sms: new AcsSmsChannel(connection(), '+18005550199'),
      },
      now: () => clock,
      sleep: async () => undefined,
    });
  };

  beforeAll(async () => {
    t = await startTestRuntime({ catalog: catalog.filter((e) => e.name !== 'delivery-retry') });
    acs = await startFakeAcs();
  });
  afterAll(async () => {
    await acs?.close();
    await t?.stop();
  });
  beforeEach(() => {
    clock = Date.now();
    scheduled = [];
    acs.set({ runningPolls: 1, finalStatus: 'Succeeded' });
    sender = makeSender();
    n++;
  });

  describe('email', () => {
    it('sends a signed, well-formed request and follows the operation to Succeeded', async () => {
      const result = await sender.send(email(n), { idempotencyKey: `email-ok-${n}` });
      expect(result).toMatchObject({ status: 'sent', transport: 'acs', attempts: 1, mayHaveBeenSent: false });
      const sent = acs.emails.filter((e) => e.to[0] === `oncall-${n}@example.com`);
      expect(sent).toEqual([
        { operationId: requestIdFor(`email-ok-${n}`, 0), senderAddress: 'DoNotReply@alerts.example.net', to: [`oncall-${n}@example.com`], subject: `Down #${n}`, plainText: `Shop is down (${n})` },
      ]);
      const mine = acs.requests.filter((r) => r.headers['operation-id'] === result.providerId || r.path.includes(result.providerId!));
      expect(mine.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 202', 'GET 200', 'GET 200']);
      expect(mine[0]!.headers['repeatability-request-id']).toBe(result.providerId);
      expect(acs.requests.every((r) => !r.problem?.includes('signature'))).toBe(true);
    });

    it('is refused by ACS when signed with the wrong key, and reports it without retrying', async () => {
      const wrong = makeSender({ emailKey: Buffer.alloc(32, 7).toString('base64') });
      const result = await wrong.send(email(n), { idempotencyKey: `email-badkey-${n}` });
      expect(result).toMatchObject({ status: 'failed', attempts: 1 });
      expect(result.error).toMatch(/401/);
      expect(acs.requests.at(-1)).toMatchObject({ status: 401, problem: 'the signature does not match' });
      expect(scheduled.filter((s) => s.delayMs < 120_000)).toEqual([]);
    });

    it('retries 5xx at once with the same repeatability id and sends one email', async () => {
      acs.failNext({ status: 503 }, { status: 500 });
      const result = await sender.send(email(n), { idempotencyKey: `email-5xx-${n}` });
      expect(result).toMatchObject({ status: 'sent', attempts: 3, mayHaveBeenSent: true });
      expect(acs.emails.filter((e) => e.subject === `Down #${n}`)).toHaveLength(1);
      const posts = acs.requests.filter((r) => r.method === 'POST' && r.headers['repeatability-request-id'] === result.providerId);
      expect(posts.map((r) => r.status)).toEqual([503, 500, 202]);
      expect(new Set(posts.map((r) => r.headers['repeatability-first-sent'])).size).toBe(1);
    });

    it('never sends twice when ACS sent it but the answer was lost', async () => {
      acs.failNext({ status: 500, afterProcessing: true });
      const result = await sender.send(email(n), { idempotencyKey: `email-lost-${n}` });
      expect(result.status).toBe('sent');
      expect(result.attempts).toBe(2);
      expect(acs.emails.filter((e) => e.subject === `Down #${n}`)).toHaveLength(1);
    });

    it('waits out a short Retry-After, queues a long one, and keeps the message meanwhile', async () => {
      acs.failNext({ status: 429, retryAfter: '1' });
      expect((await sender.send(email(n), { idempotencyKey: `email-429-short-${n}` })).status).toBe('sent');

      acs.failNext({ status: 429, retryAfter: '120' });
      const queued = await sender.send(email(n + 1000), { idempotencyKey: `email-429-long-${n}` });
      expect(queued).toMatchObject({ status: 'retrying', attempts: 1, mayHaveBeenSent: false, error: expect.stringMatching(/429/) });
      expect(Date.parse(queued.nextAttemptAt!) - clock).toBe(120_000);
      expect(scheduled.find((s) => s.deliveryId === queued.deliveryId && s.delayMs === 120_000)).toBeDefined();
      const waiting = await t.runtime.services.storage.queue(DELIVERY_RETRY_QUEUE).getProperties();
      expect(waiting.approximateMessagesCount).toBeGreaterThan(0);
      const stored = await new DeliveryStore(t.runtime.services.storage).get(queued.deliveryId);
      expect(stored).toMatchObject({ status: 'retrying', message: email(n + 1000) });

      // Not yet due: a retry finds nothing to do.
      expect((await sender.retry(queued.deliveryId))?.status).toBe('retrying');
      clock += 120_000;
      const retried = await sender.retry(queued.deliveryId);
      expect(retried).toMatchObject({ status: 'sent', attempts: 2 });
      expect(acs.emails.filter((e) => e.subject === `Down #${n + 1000}`)).toHaveLength(1);
    });

    it('fails for good on a 400 and keeps the message with its error', async () => {
      acs.failNext({ status: 400 });
      const result = await sender.send(email(n), { idempotencyKey: `email-400-${n}` });
      expect(result).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/400/) });
      expect((await new DeliveryStore(t.runtime.services.storage).get(result.deliveryId))?.message).toEqual(email(n));
    });

    it('reports an operation that ends Failed', async () => {
      acs.set({ finalStatus: 'Failed' });
      const result = await sender.send(email(n), { idempotencyKey: `email-opfail-${n}` });
      expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/suppressed/) });
    });

    it('answers a repeated send with the same key from storage, sending nothing', async () => {
      const first = await sender.send(email(n), { idempotencyKey: `email-dup-${n}` });
      const requestsBefore = acs.requests.length;
      const again = await sender.send(email(n), { idempotencyKey: `email-dup-${n}` });
      expect(again).toEqual(first);
      expect(acs.requests.length).toBe(requestsBefore);
      expect(acs.emails.filter((e) => e.subject === `Down #${n}`)).toHaveLength(1);
    });

    it('gives up on an uncertain send past the repeatability window rather than risk a duplicate', async () => {
      acs.failNext({ status: 503 }, { status: 503 }, { status: 503 });
      const first = await sender.send(email(n), { idempotencyKey: `email-window-${n}` });
      expect(first).toMatchObject({ status: 'retrying', mayHaveBeenSent: true });
      clock += 6 * 60 * 1000;
      const later = await sender.retry(first.deliveryId);
      expect(later).toMatchObject({ status: 'failed', mayHaveBeenSent: true, error: expect.stringMatching(/may have sent it/) });
      expect(acs.emails.filter((e) => e.subject === `Down #${n}`)).toHaveLength(0);
    });

    it('starts a new repeatability series after a window in which nothing reached ACS', async () => {
      acs.failNext({ status: 429, retryAfter: '600' });
      const first = await sender.send(email(n), { idempotencyKey: `email-series-${n}` });
      expect(first).toMatchObject({ status: 'retrying', mayHaveBeenSent: false });
      clock += 600_000;
      const later = await sender.retry(first.deliveryId);
      expect(later).toMatchObject({ status: 'sent' });
      expect(later!.providerId).not.toBe(requestIdFor(`email-series-${n}`, 0));
      expect(acs.requests.filter((r) => r.status === 412)).toHaveLength(0);
    });
  });

  it('keeps and reports a message for a kind of channel this deployment lacks', async () => {
    const message: OutgoingMessage = { channel: 'webhook', to: 'https://hooks.example.com/x', text: 'down' };
    const result = await sender.send(message, { idempotencyKey: `no-webhook-${n}` });
    expect(result).toMatchObject({ status: 'failed', attempts: 0, transport: 'none', error: 'no webhook channel is configured here' });
    expect((await new DeliveryStore(t.runtime.services.storage).get(result.deliveryId))?.message).toEqual(message);
  });

  describe('SMS', () => {
    it('sends one recipient with our repeatability id in the body, still correctly signed', async () => {
      const result = await sender.send(text(n), { idempotencyKey: `sms-ok-${n}` });
      expect(result).toMatchObject({ status: 'sent', transport: 'acs', attempts: 1, providerId: expect.stringMatching(/^Outgoing_/) });
      const sent = acs.sms.filter((s) => s.message === `Shop is down (${n})`);
      expect(sent).toEqual([
        expect.objectContaining({ from: '+18005550199', to: '+14155550100', repeatabilityRequestId: requestIdFor(`sms-ok-${n}`, 0), repeatabilityFirstSent: new Date(clock).toUTCString() }),
      ]);
      expect(acs.requests.at(-1)!.headers['x-sm-repeatability']).toBeUndefined();
    });

    it('never sends twice when ACS sent it but the answer was lost', async () => {
      acs.failNext({ status: 502, afterProcessing: true }, { status: 503 });
      const result = await sender.send(text(n), { idempotencyKey: `sms-lost-${n}` });
      expect(result).toMatchObject({ status: 'sent', attempts: 3 });
      expect(acs.sms.filter((s) => s.message === `Shop is down (${n})`)).toHaveLength(1);
    });

    it('reports a recipient ACS refuses', async () => {
      acs.failNext({ status: 202, recipientStatus: 400 });
      const result = await sender.send(text(n), { idempotencyKey: `sms-refused-${n}` });
      expect(result).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/400/) });
    });

    it('queues a retry when throttled for long', async () => {
      acs.failNext({ status: 429, retryAfter: '90' });
      const result = await sender.send(text(n), { idempotencyKey: `sms-429-${n}` });
      expect(result).toMatchObject({ status: 'retrying', mayHaveBeenSent: false });
      clock += 90_000;
      expect((await sender.retry(result.deliveryId))?.status).toBe('sent');
      expect(acs.sms.filter((s) => s.message === `Shop is down (${n})`)).toHaveLength(1);
    });
  });
});
