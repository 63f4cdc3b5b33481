import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { blockedReason } from '../../probes/address-policy.js';
import { classifyFailure, parseRetryAfter, type Channel, type DeliveryAttempt, type DeliveryOutcome, type OutgoingMessage } from '../message.js';

// Webhooks: an HTTP POST of JSON to the channel's URL. The URL is the user's, so the SSRF
// policy applies at every send, not only when the channel was added: the name is resolved
// here and only a checked address is connected to; redirects are not followed. Each
// delivery carries X-SM-Delivery (the same on every retry, so receivers can drop repeats)
// and, when the channel has a signing key, X-SM-Signature: sha256=<HMAC of the body>.

export interface WebhookChannelOptions {
  readonly allowPrivateTargets: boolean;
  readonly timeoutMs?: number;
}

export interface WebhookResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'ServerlessMonitor-Webhook/1';

export class WebhookChannel implements Channel {
  readonly transport = 'webhook' as const;

  constructor(private readonly options: WebhookChannelOptions) {}

  async deliver(message: OutgoingMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const body = JSON.stringify(webhookPayload(message));
    const headers: Record<string, string> = { 'x-sm-delivery': attempt.requestId };
    if (message.signingSecret) headers['x-sm-signature'] = signBody(message.signingSecret, body);
    try {
      const response = await postJson(message.to, body, headers, {
        allowPrivateTargets: this.options.allowPrivateTargets,
        timeoutMs: this.options.timeoutMs ?? 10_000,
        ...(attempt.signal ? { signal: attempt.signal } : {}),
      });
      if (response.status >= 200 && response.status < 300) return { ok: true };
      if (response.status >= 300 && response.status < 400) {
        return { ok: false, retry: 'never', status: response.status, error: `HTTP ${response.status}: redirects are not followed; use the final URL` };
      }
      const retryAfter = response.headers['retry-after'];
      return classifyFailure(response.status, undefined, response.text.slice(0, 200) || 'no body', parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return classifyFailure(undefined, e.code, e.message);
    }
  }
}

/** The JSON a webhook receives: the message's data, its subject and text. */
export function webhookPayload(message: OutgoingMessage): Record<string, unknown> {
  return { ...message.data, ...(message.subject !== undefined ? { subject: message.subject } : {}), text: message.text };
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs JSON to a user-supplied URL, connecting only to addresses the SSRF policy allows. */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivateTargets: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(Object.assign(new Error('not a URL'), { code: 'ERR_INVALID_URL' }));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(Object.assign(new Error('not an http(s) URL'), { code: 'ERR_INVALID_URL' }));
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) {
      const reason = blockedReason(literal, options.allowPrivateTargets);
      if (reason) return reject(ssrfError(`${literal} is not allowed (${reason})`));
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(options.allowPrivateTargets),
        timeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** A DNS lookup that drops every address the SSRF policy blocks, failing when none is left. */
export function guardedLookup(allowPrivateTargets: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const allowed = addresses.filter((a) => !blockedReason(a.address, allowPrivateTargets));
      if (allowed.length === 0) {
        const reason = addresses[0] ? blockedReason(addresses[0].address, allowPrivateTargets) : 'no address';
        return callback(ssrfError(`${hostname} resolves to an address that is not allowed (${reason})`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

function ssrfError(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: 'ERR_SSRF_BLOCKED' });
}
