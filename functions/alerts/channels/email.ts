import { EmailClient, type EmailClientOptions } from '@azure/communication-email';
import type { AcsConnection } from './acs-client-options.js';
import { classifyFailure, parseRetryAfter, statusOf, type Channel, type DeliveryAttempt, type DeliveryOutcome, type OutgoingMessage } from '../message.js';

// Email through Azure Communication Services (@azure/communication-email). ACS answers a
// send with 202 and an operation to poll. The Operation-Id and the repeatability headers
// carry the delivery's requestId, so a retry of a send that ACS did receive is recognised
// by ACS and not sent twice (ACS tracks repeatability for 5 minutes).

export interface EmailChannelOptions {
  /** How long to follow the operation after ACS accepted the message; past it, accepted counts as sent. */
  readonly pollTimeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/** ACS remembers a repeatable request for 5 minutes; retries after that could send twice. */
export const ACS_REPEATABILITY_WINDOW_MS = 5 * 60 * 1000;

export class AcsEmailChannel implements Channel {
  readonly transport = 'acs' as const;
  readonly repeatabilityWindowMs = ACS_REPEATABILITY_WINDOW_MS;
  private readonly client: EmailClient;

  constructor(
    connection: AcsConnection,
    private readonly senderAddress: string,
    private readonly options: EmailChannelOptions = {},
  ) {
    const clientOptions: EmailClientOptions = {
      allowInsecureConnection: connection.allowInsecureConnection,
      // The sender owns retries: it knows which are safe and keeps the message meanwhile.
      retryOptions: { maxRetries: 0 },
    };
    this.client =
      'connectionString' in connection.credential
        ? new EmailClient(connection.credential.connectionString, clientOptions)
        : new EmailClient(connection.endpoint, connection.credential.token, clientOptions);
  }

  async deliver(message: OutgoingMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    let accepted = false;
    try {
      const poller = await this.client.beginSend(
        {
          senderAddress: this.senderAddress,
          content: { subject: message.subject ?? '(no subject)', plainText: message.text, ...(message.html ? { html: message.html } : {}) },
          recipients: { to: [{ address: message.to }] },
        },
        {
          operationId: attempt.requestId,
          updateIntervalInMs: this.options.pollIntervalMs ?? 1000,
          ...(attempt.signal ? { abortSignal: attempt.signal } : {}),
          requestOptions: {
            customHeaders: {
              'Repeatability-Request-Id': attempt.requestId,
              'Repeatability-First-Sent': attempt.firstSentAt.toUTCString(),
            },
          },
        },
      );
      accepted = true;
      try {
        const result = await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(this.options.pollTimeoutMs ?? 10_000) });
        if (result.status === 'Failed' || result.status === 'Canceled') {
          return { ok: false, retry: 'never', error: `ACS email ${result.status.toLowerCase()}: ${result.error?.message ?? 'no reason given'}` };
        }
      } catch (err) {
        const state = poller.getOperationState();
        if (state.status === 'failed' || state.status === 'canceled') {
          return { ok: false, retry: 'never', error: `ACS email ${state.status}: ${state.error?.message ?? String(err)}` };
        }
        // Still running, or the status poll itself failed: ACS has the message either way.
      }
      return { ok: true, providerId: attempt.requestId };
    } catch (err) {
      if (accepted) return { ok: true, providerId: attempt.requestId };
      return acsFailure(err);
    }
  }
}

/** An ACS SDK error as a delivery outcome; shared with the SMS channel. */
export function acsFailure(err: unknown): DeliveryOutcome {
  const status = statusOf(err);
  const e = err as { code?: string; message?: string; response?: { headers?: { get(name: string): string | undefined } } };
  const retryAfterMs = parseRetryAfter(e.response?.headers?.get('retry-after'));
  // 409: ACS is still working on the original of this repeatable request; ask again later.
  if (status === 409) return { ok: false, retry: 'uncertain', status, error: `HTTP 409: ${e.message ?? 'in progress'}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return classifyFailure(status, e.code, e.message ?? String(err), retryAfterMs);
}
