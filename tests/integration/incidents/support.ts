import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { catalog } from '../../../functions/catalog.js';
import { minuteOf, minuteStart } from '../../../functions/clock.js';
import { handOffVerdicts } from '../../../functions/incidents/handoff.js';
import type { Verdict, VerdictOutcome } from '../../../functions/incidents/verdict.js';
import type { LocalRuntime } from '../../../functions/local/runtime.js';
import type { FunctionContext, FunctionEntry } from '../../../functions/runtime.js';
import type { TestRuntime } from '../../support/runtime.js';
import { bearer, newAccount } from '../accounts/support.js';

// Driving incidents without the probe cycle: the app's catalog without its timers, and
// verdicts handed off the way the verdict step does, one per scheduling minute.

/** The catalog without timers: no probe cycle, so only the test's verdicts reach incidents. */
export const catalogWithoutCycle: FunctionEntry[] = catalog.filter((e) => e.kind !== 'timer');

/** The context the verdict step runs with: primary region, with the Durable client. */
export function verdictContext(runtime: LocalRuntime): FunctionContext {
  const lines: string[] = [];
  const line = (message: string, details?: Record<string, unknown>) => lines.push(`${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  return {
    invocationId: randomUUID(),
    functionName: 'cycle-verdict',
    region: runtime.primary.region,
    config: runtime.primary,
    services: runtime.services,
    isolated: false,
    durable: runtime.durable,
    log: line,
    warn: line,
    error: line,
  };
}

export function verdict(monitorId: string, minute: number, minuteMs: number, outcome: VerdictOutcome): Verdict {
  const failed = outcome === 'fail';
  return {
    monitorId,
    minute,
    at: new Date(minuteStart(minute, minuteMs)).toISOString(),
    outcome,
    reports: ['eu', 'us'].map((region) => ({
      region,
      ok: !failed,
      trusted: true,
      ...(failed ? { error: { class: 'connect' as const, message: 'connection refused', code: 'ECONNREFUSED' } } : {}),
      phases: { dns: null, connect: failed ? null : 0.4, tls: null, firstByte: failed ? null : 1.2, total: failed ? 0.6 : 1.5 },
      ...(failed ? {} : { status: 200 }),
    })),
  };
}

/**
 * Hands off one verdict per scheduling minute, as the verdict step does, deciding each
 * minute's outcome when it comes; stop() ends it. Minutes are real (Date.now()).
 */
export function verdictPump(runtime: LocalRuntime, monitorId: string, outcome: (minute: number) => VerdictOutcome | undefined) {
  const minuteMs = runtime.primary.minuteMs;
  let last = minuteOf(Date.now(), minuteMs) - 1;
  let stopped = false;
  const handed: Array<{ minute: number; outcome: VerdictOutcome }> = [];
  const done = (async () => {
    while (!stopped) {
      const minute = minuteOf(Date.now(), minuteMs);
      if (minute > last) {
        last = minute;
        const o = outcome(minute);
        if (o) {
          handed.push({ minute, outcome: o });
          await handOffVerdicts([verdict(monitorId, minute, minuteMs, o)], verdictContext(runtime));
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    handed,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export async function ownerWithMonitor(t: TestRuntime, monitor: Record<string, unknown> = {}): Promise<{ apiKey: string; accountId: string; email: string; monitorId: string }> {
  const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
  const { apiKey, accountId } = await newAccount(t, email);
  const res = await t.api('monitors', {
    body: { name: 'Shop front', type: 'http', target: 'http://127.0.0.1:9/', intervalMinutes: 1, timeoutSeconds: 2, ...monitor },
    headers: bearer(apiKey),
  });
  expect(res.status, res.text).toBe(201);
  return { apiKey, accountId, email, monitorId: res.json.id as string };
}
