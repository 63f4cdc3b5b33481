import { join } from 'node:path';
import { channelsFor } from './alerts/channels/index.js';
import { Outbox } from './alerts/outbox.js';
import { Sender } from './alerts/sender.js';
import type { Config } from './config.js';
import { DeliveryRetryQueue } from './storage/delivery-retries.js';
import { DeliveryStore } from './storage/deliveries.js';
import { Storage } from './storage/storage.js';

// Long-lived clients shared by every invocation in a process (and by every simulated region
// in the local runtime). Built once: SDK clients keep connection pools worth reusing.

export interface Services {
  readonly storage: Storage;
  readonly outbox: Outbox;
  /** Every outgoing message (confirmations, alerts) goes through it: stored, sent, retried. */
  readonly sender: Sender;
}

export function createServices(config: Config): Services {
  const storage = new Storage(config.storage);
  const outbox = new Outbox(join(config.dataDir, 'outbox.jsonl'));
  return {
    storage,
    outbox,
    sender: new Sender({
      deliveries: new DeliveryStore(storage),
      retries: new DeliveryRetryQueue(storage),
      channels: channelsFor(config, outbox),
    }),
  };
}
