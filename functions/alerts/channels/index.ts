import type { Config } from '../../config.js';
import type { Outbox } from '../outbox.js';
import type { Channel, ChannelKind } from '../message.js';
import { acsConnection } from './acs-client-options.js';
import { AcsEmailChannel } from './email.js';
import { OutboxChannel } from './outbox.js';
import { AcsSmsChannel } from './sms.js';
import { WebhookChannel } from './webhook.js';

/**
 * Which channel carries each kind of message here. The local runtime sends everything to
 * the outbox, so nothing leaves the machine. A deployment without ACS settings sends email
 * and SMS to the outbox; with ACS, email needs SM_EMAIL_SENDER and SMS needs SM_SMS_SENDER
 * (without it there is no SMS channel, and SMS channels cannot be added).
 */
export function channelsFor(config: Config, outbox: Outbox): Partial<Record<ChannelKind, Channel>> {
  const toOutbox = new OutboxChannel(outbox);
  if (config.mode === 'local') return { email: toOutbox, sms: toOutbox, webhook: toOutbox };
  const webhook = new WebhookChannel({ allowPrivateTargets: config.allowPrivateTargets });
  if (!config.acs) return { email: toOutbox, sms: toOutbox, webhook };
  const acs = acsConnection(config.acs);
  return {
    email: config.emailSender ? new AcsEmailChannel(acs, config.emailSender) : toOutbox,
    ...(config.smsSender ? { sms: new AcsSmsChannel(acs, config.smsSender) } : {}),
    webhook,
  };
}
