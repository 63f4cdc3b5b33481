import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { FunctionContext } from '../../../functions/runtime.js';
import { noDurableClient } from '../../../functions/runtime.js';
import type { TestRuntime } from '../../support/runtime.js';
import { bearer, newAccount } from '../accounts/support.js';

// Shared steps of the cycle tests: an account with monitors made through the API, and a
// context to call cycle handlers directly as a given region would.

export async function accountWithMonitors(t: TestRuntime, targets: readonly string[]): Promise<{ apiKey: string; monitorIds: string[] }> {
  const { apiKey } = await newAccount(t, `owner-${randomUUID().slice(0, 8)}@example.com`);
  const monitorIds: string[] = [];
  for (const [i, target] of targets.entries()) {
    const res = await t.api('monitors', { body: { name: `monitor ${i}`, type: 'http', target, intervalMinutes: 1, timeoutSeconds: 2 }, headers: bearer(apiKey) });
    expect(res.status, res.text).toBe(201);
    monitorIds.push(res.json.id as string);
  }
  return { apiKey, monitorIds };
}

export interface CapturedContext extends FunctionContext {
  readonly lines: string[];
}

export function regionContext(t: TestRuntime, region: string, functionName: string): CapturedContext {
  const lines: string[] = [];
  const line = (message: string, details?: Record<string, unknown>) => lines.push(`${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  return {
    lines,
    invocationId: randomUUID(),
    functionName,
    region,
    config: { ...t.runtime.primary, region },
    services: t.runtime.services,
    isolated: t.runtime.faults.state(region) === 'isolated',
    durable: noDurableClient(functionName),
    log: line,
    warn: line,
    error: line,
  };
}
