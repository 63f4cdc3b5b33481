import { randomUUID } from 'node:crypto';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../functions/local/runtime.js';
import { callApi, waitFor } from '../tests/support/runtime.js';

// Shared steps of the incident benchmarks: a local runtime of their own, and an account
// with a monitor made through the API as a user would.

export async function benchRuntime(env: Record<string, string>, dataDir: string, catalog?: LocalRuntimeOptions['catalog']): Promise<LocalRuntime> {
  return startLocalRuntime({
    env: { SM_DATA_DIR: dataDir, SM_ALLOW_PRIVATE_TARGETS: 'true', ...env },
    ...(catalog ? { catalog } : {}),
    inMemoryStorage: true,
    port: 0,
    log: () => undefined,
  });
}

export interface OutboxMessage {
  readonly at: string;
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
}

export async function outbox(runtime: LocalRuntime): Promise<OutboxMessage[]> {
  return (await callApi(runtime.url, 'dev/outbox')).json as OutboxMessage[];
}

/** Signs up (following the confirmation link from the outbox) and creates one monitor. */
export async function accountWithMonitor(runtime: LocalRuntime, monitor: Record<string, unknown>): Promise<{ email: string; apiKey: string; monitorId: string }> {
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  await callApi(runtime.url, 'accounts', { body: { email } });
  const message = await waitFor(async () => (await outbox(runtime)).find((m) => m.to === email), 20_000, 'the confirmation');
  const token = /\/api\/(confirm\/[A-Za-z0-9._-]+)/.exec(message.body)![1]!;
  const confirmed = await callApi(runtime.url, token, { method: 'POST', headers: { accept: 'application/json' } });
  const apiKey = confirmed.json.apiKey as string;
  const created = await callApi(runtime.url, 'monitors', { body: { name: 'bench', type: 'http', intervalMinutes: 1, timeoutSeconds: 2, ...monitor }, headers: { authorization: `Bearer ${apiKey}` } });
  if (created.status !== 201) throw new Error(`monitor: ${created.text}`);
  return { email, apiKey, monitorId: created.json.id as string };
}
