import { join } from 'node:path';
import { Outbox } from './alerts/outbox.js';
import type { Config } from './config.js';
import { Storage } from './storage/storage.js';

// Long-lived clients shared by every invocation in a process (and by every simulated region
// in the local runtime). Built once: SDK clients keep connection pools worth reusing.

export interface Services {
  readonly storage: Storage;
  readonly outbox: Outbox;
}

export function createServices(config: Config): Services {
  return {
    storage: new Storage(config.storage),
    outbox: new Outbox(join(config.dataDir, 'outbox.jsonl')),
  };
}
