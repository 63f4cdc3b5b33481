import type { Config } from '../config.js';
import { AccountStore } from '../storage/accounts.js';
import { DeliveryRetryQueue } from '../storage/delivery-retries.js';
import { DeliveryStore } from '../storage/deliveries.js';
import type { Storage } from '../storage/storage.js';
import { channelsFor } from './channels/index.js';
import type { Outbox } from './outbox.js';
import { Sender } from './sender.js';

/** The process's sender: deliveries in Table Storage, retries on their queue, channels per settings. */
export function createSender(config: Config, storage: Storage, outbox: Outbox): Sender {
  const accounts = new AccountStore(storage);
  return new Sender({
    deliveries: new DeliveryStore(storage),
    retries: new DeliveryRetryQueue(storage),
    channels: channelsFor(config, outbox),
    // "Removing a channel stops its alerts at once": that includes retries already planned.
    stillWanted: async (message) =>
      !message.destination || (await accounts.getChannel(message.destination.accountId, message.destination.channelId))?.status === 'verified',
  });
}
