import { join } from 'node:path';
import { Outbox } from './alerts/outbox.js';
import type { Sender } from './alerts/sender.js';
import { createSender } from './alerts/setup.js';
import type { Config } from './config.js';
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
    sender: createSender(config, storage, outbox),
  };
}
