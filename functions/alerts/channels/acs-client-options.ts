import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AcsConfig } from '../../config.js';

// What the ACS email and SMS clients share: how to reach the resource and how to sign in.

export interface AcsConnection {
  readonly endpoint: string;
  /** The connection string (HMAC access key) or an Entra credential (managed identity). */
  readonly credential: { readonly connectionString: string } | { readonly token: TokenCredential };
  /**
   * Plain HTTP only for a loopback endpoint: the contract tests' fake ACS. Anything else
   * must be https, so a key-signed request never crosses a network in clear text.
   */
  readonly allowInsecureConnection: boolean;
}

export function acsConnection(acs: AcsConfig): AcsConnection {
  if (acs.kind === 'connectionString') {
    const endpoint = /endpoint=([^;]+)/i.exec(acs.connectionString)?.[1] ?? '';
    return { endpoint, credential: { connectionString: acs.connectionString }, allowInsecureConnection: isLoopbackHttp(endpoint) };
  }
  return {
    endpoint: acs.endpoint,
    credential: { token: new DefaultAzureCredential(acs.clientId ? { managedIdentityClientId: acs.clientId } : {}) },
    allowInsecureConnection: false,
  };
}

export function isLoopbackHttp(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
