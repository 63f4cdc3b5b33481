import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookChannel } from '../../../functions/alerts/channels/webhook.js';
import type { DeliveryAttempt, OutgoingMessage } from '../../../functions/alerts/message.js';

// The webhook channel against a real HTTP server on 127.0.0.1: what it sends, how it reads
// answers, and that the SSRF policy stops it at send time too.

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

describe('webhook channel', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  const answers: Array<{ status: number; headers?: Record<string, string>; delayMs?: number }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = answers.shift() ?? { status: 204 };
        const reply = () => {
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.status >= 400 ? 'nope' : '');
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
        else reply();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  );

  const message = (path: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    channel: 'webhook',
    to: `${base}${path}`,
    subject: 'Shop is down',
    text: 'Shop failed from 3 regions',
    data: { type: 'alert', monitorId: 'm1' },
    ...extra,
  });
  const attempt: DeliveryAttempt = { requestId: '9b2f3c1e-0000-4000-8000-000000000001', firstSentAt: new Date(), idempotencyKey: 'incident-1:dest:1' };
  const local = new WebhookChannel({ allowPrivateTargets: true, timeoutMs: 2000 });

  it('POSTs the JSON payload with a delivery id and an HMAC signature of the body', async () => {
    const outcome = await local.deliver(message('/ok', { signingSecret: 'whsec_test' }), attempt);
    expect(outcome).toEqual({ ok: true });
    const got = received.at(-1)!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-sm-delivery']).toBe(attempt.requestId);
    expect(JSON.parse(got.body)).toEqual({ type: 'alert', monitorId: 'm1', subject: 'Shop is down', text: 'Shop failed from 3 regions' });
    expect(got.headers['x-sm-signature']).toBe(`sha256=${createHmac('sha256', 'whsec_test').update(got.body).digest('hex')}`);
  });

  it('classifies answers: 2xx sent, 429 and 5xx retried, other 4xx and redirects final', async () => {
    answers.push({ status: 429, headers: { 'retry-after': '30' } }, { status: 503 }, { status: 404 }, { status: 302, headers: { location: '/elsewhere' } });
    expect(await local.deliver(message('/a'), attempt)).toMatchObject({ ok: false, retry: 'safe', status: 429, retryAfterMs: 30_000 });
    expect(await local.deliver(message('/b'), attempt)).toMatchObject({ ok: false, retry: 'uncertain', status: 503 });
    expect(await local.deliver(message('/c'), attempt)).toMatchObject({ ok: false, retry: 'never', status: 404 });
    expect(await local.deliver(message('/d'), attempt)).toMatchObject({ ok: false, retry: 'never', status: 302 });
    expect(received.filter((r) => r.headers['x-sm-delivery'] === attempt.requestId).length).toBeGreaterThanOrEqual(4);
  });

  it('treats a refused connection as safe to retry and a slow answer as uncertain', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    expect(await local.deliver({ ...message('/'), to: `http://127.0.0.1:${port}/` }, attempt)).toMatchObject({ ok: false, retry: 'safe' });

    answers.push({ status: 200, delayMs: 60_000 }); // never in time
    const impatient = new WebhookChannel({ allowPrivateTargets: true, timeoutMs: 200 });
    expect(await impatient.deliver(message('/slow'), attempt)).toMatchObject({ ok: false, retry: 'uncertain', error: expect.stringMatching(/ETIMEDOUT/) });
  });

  it('refuses internal addresses at send time when private targets are not allowed', async () => {
    const strict = new WebhookChannel({ allowPrivateTargets: false, timeoutMs: 2000 });
    const before = received.length;
    for (const to of [`${base}/x`, base.replace('127.0.0.1', 'localhost') + '/x', 'http://169.254.169.254/latest', 'http://[::1]:9/x']) {
      const outcome = await strict.deliver({ ...message('/'), to }, attempt);
      expect(outcome, to).toMatchObject({ ok: false, retry: 'never', error: expect.stringMatching(/ERR_SSRF_BLOCKED/) });
    }
    expect(received.length).toBe(before);
  });
});
