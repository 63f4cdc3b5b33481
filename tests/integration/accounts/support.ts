import { expect } from 'vitest';
import { catalog } from '../../../functions/catalog.js';
import { accountsApi, type AccountsApiOptions } from '../../../functions/api/accounts-api.js';
import type { FunctionEntry } from '../../../functions/runtime.js';
import { waitFor, type TestRuntime } from '../../support/runtime.js';

// Shared steps of the account tests: read the outbox, follow a confirmation link, sign up.

export interface OutboxEntry {
  readonly at: string;
  readonly channel: 'email' | 'sms' | 'webhook';
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
}

/** The app's catalog with the account routes built with test options (clock, token lifetime, resolver). */
export function catalogWith(options: AccountsApiOptions): FunctionEntry[] {
  const mine = new Set(accountsApi().map((f) => f.name));
  return [...catalog.filter((e) => !mine.has(e.name)), ...accountsApi(options)];
}

/** A clock tests can move. */
export function testClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export async function outbox(t: TestRuntime): Promise<OutboxEntry[]> {
  const res = await t.api('dev/outbox');
  expect(res.status).toBe(200);
  return res.json as OutboxEntry[];
}

/** Waits for the n-th (1-based) message to `to` and answers it. */
export async function messageTo(t: TestRuntime, to: string, n = 1): Promise<OutboxEntry> {
  return waitFor(async () => (await outbox(t)).filter((m) => m.to === to)[n - 1], 10_000, `message ${n} to ${to}`);
}

/** The path below /api of the confirmation link in a message: `confirm/<token>`. */
export function confirmPath(message: OutboxEntry): string {
  const m = /\/api\/(confirm\/[A-Za-z0-9._-]+)/.exec(message.body);
  if (!m) throw new Error(`no confirmation link in: ${message.body}`);
  return m[1]!;
}

export async function confirmJson(t: TestRuntime, path: string) {
  return t.api(path, { method: 'POST', headers: { accept: 'application/json' } });
}

/** Signs up and confirms; answers the account id and its first (read-write) API key. */
export async function newAccount(t: TestRuntime, email: string): Promise<{ accountId: string; apiKey: string }> {
  const before = (await outbox(t)).filter((m) => m.to === email).length;
  const signup = await t.api('accounts', { body: { email } });
  expect(signup.status).toBe(202);
  const message = await messageTo(t, email, before + 1);
  const confirmed = await confirmJson(t, confirmPath(message));
  expect(confirmed.status).toBe(200);
  expect(confirmed.json.kind).toBe('account');
  return { accountId: confirmed.json.accountId, apiKey: confirmed.json.apiKey };
}

export function bearer(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}

/** Adds a channel and confirms it through the link sent to it; answers its id. */
export async function verifiedChannel(t: TestRuntime, apiKey: string, kind: 'email' | 'sms' | 'webhook', address: string): Promise<string> {
  const before = (await outbox(t)).filter((m) => m.to === address).length;
  const added = await t.api('channels', { body: { kind, address }, headers: bearer(apiKey) });
  expect(added.status).toBe(201);
  const message = await messageTo(t, added.json.address, before + 1);
  const confirmed = await confirmJson(t, confirmPath(message));
  expect(confirmed.status).toBe(200);
  return added.json.id;
}
