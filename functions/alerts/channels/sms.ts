import { SmsClient, type SmsClientOptions } from '@azure/communication-sms';
import type { AcsConnection } from './acs-client-options.js';
import { ACS_REPEATABILITY_WINDOW_MS, acsFailure } from './email.js';
import { classifyFailure, type Channel, type DeliveryAttempt, type DeliveryOutcome, type OutgoingMessage } from '../message.js';

// SMS through Azure Communication Services (@azure/communication-sms). ACS SMS takes its
// repeatability fields in the body, per recipient; the SDK fills them with a fresh random id
// on every call, which would make each of our retries a new message. A pipeline policy
// puts the delivery's requestId and first-sent time there instead. It runs before the
// access-key policy (both have no phase; ours is added first), so the signature covers it.

const REPEATABILITY_HEADER = 'x-sm-repeatability';

type PipelinePolicy = NonNullable<SmsClientOptions['additionalPolicies']>[number]['policy'];

export class AcsSmsChannel implements Channel {
  readonly transport = 'acs' as const;
  readonly repeatabilityWindowMs = ACS_REPEATABILITY_WINDOW_MS;
  private readonly client: SmsClient;

  constructor(
    connection: AcsConnection,
    private readonly from: string,
  ) {
    const options: SmsClientOptions = {
      allowInsecureConnection: connection.allowInsecureConnection,
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [{ policy: repeatabilityPolicy, position: 'perCall' }],
    };
    this.client =
      'connectionString' in connection.credential
        ? new SmsClient(connection.credential.connectionString, options)
        : new SmsClient(connection.endpoint, connection.credential.token, options);
  }

  async deliver(message: OutgoingMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    try {
      const [result] = await this.client.send(
        { from: this.from, to: [message.to], message: message.text },
        {
          enableDeliveryReport: false,
          ...(attempt.signal ? { abortSignal: attempt.signal } : {}),
          requestOptions: { customHeaders: { [REPEATABILITY_HEADER]: `${attempt.requestId} ${attempt.firstSentAt.toUTCString()}` } },
        },
      );
      if (!result) return { ok: false, retry: 'uncertain', error: 'ACS SMS answered without a result for the recipient' };
      if (result.successful) return { ok: true, ...(result.messageId ? { providerId: result.messageId } : {}) };
      return classifyFailure(result.httpStatusCode, undefined, result.errorMessage ?? 'not sent');
    } catch (err) {
      return acsFailure(err);
    }
  }
}

const repeatabilityPolicy: PipelinePolicy = {
  name: 'serverless-monitor-sms-repeatability',
  async sendRequest(request, next) {
    const value = request.headers.get(REPEATABILITY_HEADER);
    request.headers.delete(REPEATABILITY_HEADER);
    if (value && typeof request.body === 'string') {
      const space = value.indexOf(' ');
      const requestId = value.slice(0, space);
      const firstSent = value.slice(space + 1);
      const body = JSON.parse(request.body) as { smsRecipients?: Array<Record<string, unknown>> };
      for (const recipient of body.smsRecipients ?? []) {
        recipient['repeatabilityRequestId'] = requestId;
        recipient['repeatabilityFirstSent'] = firstSent;
      }
      request.body = JSON.stringify(body);
    }
    return next(request);
  },
};
