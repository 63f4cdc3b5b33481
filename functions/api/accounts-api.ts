import type { HttpFunction } from '../runtime.js';
import { accountFunctions } from './accounts.js';
import { channelFunctions } from './channels.js';
import { confirmFunctions } from './confirm.js';
import type { AccountsApiOptions } from './domain.js';
import { keyFunctions } from './keys.js';
import { monitorFunctions } from './monitors.js';
import { receiverFunctions } from './receivers.js';

export type { AccountsApiOptions } from './domain.js';

/** The HTTP functions of accounts, keys, channels, monitors and receivers, for catalog.ts. */
export function accountsApi(options: AccountsApiOptions = {}): HttpFunction[] {
  return [
    ...accountFunctions(options),
    ...confirmFunctions(options),
    ...keyFunctions(options),
    ...channelFunctions(options),
    ...monitorFunctions(options),
    ...receiverFunctions(options),
  ];
}
