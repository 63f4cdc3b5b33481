import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for the Azure Communication Services REST API, for contract tests of the
// real @azure/communication-email and @azure/communication-sms clients. Like ACS it:
// - checks every request's HMAC-SHA256 access-key signature (x-ms-date, host and
//   x-ms-content-sha256 signed; Authorization: HMAC-SHA256 SignedHeaders=…&Signature=…),
//   recomputed from the raw request, and the body hash against the body;
// - checks the request shape of POST /emails:send and POST /sms;
// - runs email as a long-running operation: 202 + Operation-Location, then GET polls;
// - honours repeatable requests (Repeatability-Request-Id / -First-Sent headers for email,
//   repeatabilityRequestId / repeatabilityFirstSent per SMS recipient): a repeat inside the
//   5-minute window is answered with the original result and sent no second time;
// - can be told to fail the next requests: any status, Retry-After, and "after processing"
//   (the message goes out, the answer is lost), the case idempotency exists for.

export interface FakeEmail {
  readonly operationId: string;
  readonly senderAddress: string;
  readonly to: string[];
  readonly subject: string;
  readonly plainText?: string;
  readonly html?: string;
}

export interface FakeSms {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly message: string;
  readonly repeatabilityRequestId?: string;
  readonly repeatabilityFirstSent?: string;
}

export interface Injected {
  readonly status: number;
  readonly retryAfter?: string;
  /** Do the work, then answer with the failure (the response is "lost"). */
  readonly afterProcessing?: boolean;
  /** SMS only: answer 202, with this status for the recipient. */
  readonly recipientStatus?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Why the fake refused it, when it did (signature, shape, repeatability). */
  readonly problem?: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface FakeAcsOptions {
  /** Status polls that answer Running before the final one. */
  readonly runningPolls?: number;
  /** How an email operation ends. */
  readonly finalStatus?: 'Succeeded' | 'Failed';
  readonly now?: () => number;
}

export interface FakeAcs {
  readonly url: string;
  readonly accessKey: string;
  readonly connectionString: string;
  readonly emails: FakeEmail[];
  readonly sms: FakeSms[];
  readonly requests: RecordedRequest[];
  failNext(...failures: Injected[]): void;
  set(options: FakeAcsOptions): void;
  close(): Promise<void>;
}

const REPEATABILITY_WINDOW_MS = 5 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9][0-9]{6,14}$/;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeAcs(initial: FakeAcsOptions = {}): Promise<FakeAcs> {
  const accessKey = randomBytes(32).toString('base64');
  const emails: FakeEmail[] = [];
  const sms: FakeSms[] = [];
  const requests: RecordedRequest[] = [];
  const failures: Injected[] = [];
  let options: FakeAcsOptions = { runningPolls: 1, finalStatus: 'Succeeded', ...initial };
  const operations = new Map<string, { polls: number; status: 'Succeeded' | 'Failed' }>();
  /** Repeatability-Request-Id → what the first request was and what it got. */
  const repeats = new Map<string, { fingerprint: string; firstSent: string; response: { status: number; headers: Record<string, string>; body: unknown } }>();
  const now = () => (options.now ?? Date.now)();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let status: number;
      let problem: string | undefined;
      try {
        const answer = handle(req, body);
        status = answer.status;
        send(res, answer.status, answer.headers, answer.body);
      } catch (err) {
        const refusal = err instanceof Refusal ? err : new Refusal(500, 'InternalError', String(err));
        status = refusal.status;
        problem = refusal.message;
        send(res, refusal.status, retryAfterOf(refusal), { error: { code: refusal.code, message: refusal.message } });
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', status, headers: req.headers, ...(problem ? { problem } : {}) });
    });
  });
  const retryAfterValues = new WeakMap<Refusal, string>();
  const retryAfterOf = (r: Refusal): Record<string, string> => (retryAfterValues.has(r) ? { 'retry-after': retryAfterValues.get(r)! } : {});

  function handle(req: IncomingMessage, body: Buffer): { status: number; headers: Record<string, string>; body: unknown } {
    verifySignature(req, body);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.searchParams.get('api-version')) throw new Refusal(400, 'MissingApiVersionParameter', 'api-version is required');
    const operation = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && operation) return pollOperation(operation[1]!);
    const injected = failures.shift();
    if (injected && !injected.afterProcessing && injected.recipientStatus === undefined) throw inject(injected);
    let answer: { status: number; headers: Record<string, string>; body: unknown };
    if (req.method === 'POST' && url.pathname === '/emails:send') answer = sendEmail(req, body, url);
    else if (req.method === 'POST' && url.pathname === '/sms') answer = sendSms(body, injected?.recipientStatus);
    else throw new Refusal(404, 'NotFound', `no route ${req.method} ${url.pathname}`);
    if (injected?.afterProcessing) throw inject(injected);
    return answer;
  }

  function inject(failure: Injected): Refusal {
    const refusal = new Refusal(failure.status, failure.status === 429 ? 'TooManyRequests' : 'Injected', `injected ${failure.status}`);
    if (failure.retryAfter !== undefined) retryAfterValues.set(refusal, failure.retryAfter);
    return refusal;
  }

  function verifySignature(req: IncomingMessage, body: Buffer): void {
    const date = header(req, 'x-ms-date');
    const contentHash = header(req, 'x-ms-content-sha256');
    const authorization = header(req, 'authorization');
    const host = header(req, 'host');
    if (!date || !contentHash || !authorization || !host) throw new Refusal(401, 'Denied', 'missing x-ms-date, x-ms-content-sha256, host or authorization');
    if (Number.isNaN(Date.parse(date)) || Math.abs(Date.parse(date) - Date.now()) > 15 * 60 * 1000) throw new Refusal(401, 'Denied', 'x-ms-date is not within 15 minutes');
    if (createHash('sha256').update(body).digest('base64') !== contentHash) throw new Refusal(401, 'Denied', 'x-ms-content-sha256 does not match the body');
    const m = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(authorization);
    if (!m || m[1] !== 'x-ms-date;host;x-ms-content-sha256') throw new Refusal(401, 'Denied', 'malformed Authorization header');
    const url = new URL(req.url ?? '/', `http://${host}`);
    const query = url.searchParams.toString();
    const stringToSign = `${req.method}\n${url.pathname}${query ? `?${query}` : ''}\n${date};${host};${contentHash}`;
    const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign).digest();
    const given = Buffer.from(m[2]!, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Refusal(401, 'Denied', 'the signature does not match');
  }

  function sendEmail(req: IncomingMessage, body: Buffer, url: URL) {
    if (!/^application\/json/.test(header(req, 'content-type') ?? '')) throw new Refusal(415, 'UnsupportedMediaType', 'JSON expected');
    const message = parseJson(body) as {
      senderAddress?: unknown;
      content?: { subject?: unknown; plainText?: unknown; html?: unknown };
      recipients?: { to?: Array<{ address?: unknown }> };
    };
    if (typeof message.senderAddress !== 'string' || !message.senderAddress.includes('@')) throw new Refusal(400, 'BadRequest', 'senderAddress is required');
    if (typeof message.content?.subject !== 'string') throw new Refusal(400, 'BadRequest', 'content.subject is required');
    if (typeof message.content.plainText !== 'string' && typeof message.content.html !== 'string') throw new Refusal(400, 'BadRequest', 'plainText or html is required');
    const to = message.recipients?.to;
    if (!Array.isArray(to) || to.length === 0 || to.some((r) => typeof r.address !== 'string' || !r.address.includes('@'))) {
      throw new Refusal(400, 'BadRequest', 'recipients.to needs at least one address');
    }
    const operationId = header(req, 'operation-id') ?? randomUUID();
    if (!UUID.test(operationId)) throw new Refusal(400, 'BadRequest', 'Operation-Id must be a GUID');
    return repeatable(header(req, 'repeatability-request-id'), header(req, 'repeatability-first-sent'), body.toString('utf8'), () => {
      if (operations.has(operationId)) throw new Refusal(409, 'Conflict', 'an operation with this Operation-Id exists');
      operations.set(operationId, { polls: 0, status: options.finalStatus ?? 'Succeeded' });
      emails.push({
        operationId,
        senderAddress: message.senderAddress as string,
        to: to.map((r) => r.address as string),
        subject: message.content!.subject as string,
        ...(typeof message.content!.plainText === 'string' ? { plainText: message.content!.plainText } : {}),
        ...(typeof message.content!.html === 'string' ? { html: message.content!.html } : {}),
      });
      const location = `${url.protocol}//${header(req, 'host')}/emails/operations/${operationId}?api-version=${url.searchParams.get('api-version')}`;
      return { status: 202, headers: { 'operation-location': location }, body: { id: operationId, status: 'Running' } };
    });
  }

  function pollOperation(id: string) {
    const op = operations.get(id);
    if (!op) throw new Refusal(404, 'NotFound', 'no such operation');
    op.polls++;
    const status = op.polls > (options.runningPolls ?? 1) ? op.status : 'Running';
    return {
      status: 200,
      headers: {},
      body: { id, status, ...(status === 'Failed' ? { error: { code: 'EmailDroppedAllRecipientsSuppressed', message: 'all recipients are suppressed' } } : {}) },
    };
  }

  function sendSms(body: Buffer, recipientStatus: number | undefined) {
    const request = parseJson(body) as {
      from?: unknown;
      message?: unknown;
      smsRecipients?: Array<{ to?: unknown; repeatabilityRequestId?: unknown; repeatabilityFirstSent?: unknown }>;
      smsSendOptions?: { enableDeliveryReport?: unknown };
    };
    if (typeof request.from !== 'string' || !E164.test(request.from)) throw new Refusal(400, 'BadRequest', 'from must be an E.164 number');
    if (typeof request.message !== 'string' || request.message.length === 0 || request.message.length > 2048) throw new Refusal(400, 'BadRequest', 'message must be 1–2048 characters');
    if (!Array.isArray(request.smsRecipients) || request.smsRecipients.length === 0 || request.smsRecipients.length > 100) {
      throw new Refusal(400, 'BadRequest', 'smsRecipients must hold 1–100 recipients');
    }
    if (typeof request.smsSendOptions?.enableDeliveryReport !== 'boolean') throw new Refusal(400, 'BadRequest', 'smsSendOptions.enableDeliveryReport is required');
    const value = request.smsRecipients.map((recipient) => {
      if (typeof recipient.to !== 'string' || !E164.test(recipient.to)) throw new Refusal(400, 'BadRequest', 'recipient numbers must be E.164');
      const id = typeof recipient.repeatabilityRequestId === 'string' ? recipient.repeatabilityRequestId : undefined;
      const first = typeof recipient.repeatabilityFirstSent === 'string' ? recipient.repeatabilityFirstSent : undefined;
      const fingerprint = JSON.stringify({ from: request.from, to: recipient.to, message: request.message });
      if (recipientStatus !== undefined) {
        return { to: recipient.to, httpStatusCode: recipientStatus, successful: false, errorMessage: 'injected recipient failure' };
      }
      const result = repeatable(id, first, fingerprint, () => {
        const messageId = `Outgoing_${randomUUID()}`;
        sms.push({ messageId, from: request.from as string, to: recipient.to as string, message: request.message as string, ...(id ? { repeatabilityRequestId: id } : {}), ...(first ? { repeatabilityFirstSent: first } : {}) });
        return { status: 202, headers: {}, body: { to: recipient.to, messageId, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true } };
      });
      return result.body;
    });
    return { status: 202, headers: {}, body: { value } };
  }

  /** OASIS repeatable requests, as ACS documents them. */
  function repeatable(
    requestId: string | undefined,
    firstSent: string | undefined,
    fingerprint: string,
    execute: () => { status: number; headers: Record<string, string>; body: unknown },
  ) {
    if (requestId === undefined && firstSent === undefined) return execute();
    if (!requestId || !UUID.test(requestId) || !firstSent || Number.isNaN(Date.parse(firstSent))) {
      throw new Refusal(400, 'BadRequest', 'Repeatability-Request-Id must be a GUID and Repeatability-First-Sent an IMF date');
    }
    if (now() - Date.parse(firstSent) > REPEATABILITY_WINDOW_MS) throw new Refusal(412, 'PreconditionFailed', 'Repeatability-First-Sent is not within the 5 minute window');
    const seen = repeats.get(requestId);
    if (seen) {
      if (seen.fingerprint !== fingerprint || seen.firstSent !== firstSent) throw new Refusal(400, 'BadRequest', 'a repeated request differs from the original');
      return seen.response;
    }
    const response = execute();
    repeats.set(requestId, { fingerprint, firstSent, response });
    return response;
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    accessKey,
    connectionString: `endpoint=${url}/;accesskey=${accessKey}`,
    emails,
    sms,
    requests,
    failNext: (...f) => failures.push(...f),
    set: (o) => (options = { ...options, ...o }),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refusal(400, 'BadRequest', 'the body is not JSON');
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
