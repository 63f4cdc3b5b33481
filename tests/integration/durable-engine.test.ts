import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrchestrationContext } from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteHandle } from '../../functions/local/azurite.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import type { FunctionEntry } from '../../functions/runtime.js';
import { LocalDurableStore } from '../../functions/storage/local-durable.js';
import { waitFor } from '../support/runtime.js';

// The local Durable engine against Azurite, driving durable-functions' own replay executor:
// activities, timers, external events, Task.any/all, continueAsNew, failures, singletons,
// termination, and a restart in the middle of work.

const calls = new Map<string, number>();
const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
/** Activities wait here while a test needs them to be in flight. */
const gates = new Map<string, () => void>();

const catalog: FunctionEntry[] = [
  {
    kind: 'activity',
    name: 'double',
    handler: async (input) => {
      count(`double:${String(input)}`);
      return (input as number) * 2;
    },
  },
  {
    kind: 'activity',
    name: 'fail',
    handler: async () => {
      throw new Error('activity says no');
    },
  },
  {
    kind: 'activity',
    name: 'gated',
    handler: async (input) => {
      count(`gated:${String(input)}`);
      await new Promise<void>((release) => gates.set(String(input), release));
      return 'released';
    },
  },
  {
    kind: 'orchestration',
    name: 'sequence',
    handler: function* (context: OrchestrationContext) {
      let sum = 0;
      for (const n of context.df.getInput<number[]>()) sum += (yield context.df.callActivity('double', n)) as number;
      return sum;
    },
  },
  {
    kind: 'orchestration',
    name: 'fanout',
    handler: function* (context: OrchestrationContext) {
      const results = (yield context.df.Task.all([1, 2, 3, 4, 5].map((n) => context.df.callActivity('double', n * 10)))) as number[];
      return results;
    },
  },
  {
    kind: 'orchestration',
    name: 'race',
    handler: function* (context: OrchestrationContext) {
      const { waitMs } = context.df.getInput<{ waitMs: number }>();
      const go = context.df.waitForExternalEvent('go');
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitMs));
      const winner = yield context.df.Task.any([go, timer]);
      if (winner === go) {
        timer.cancel();
        return { winner: 'event', data: go.result };
      }
      return { winner: 'timer' };
    },
  },
  {
    kind: 'orchestration',
    name: 'counter',
    handler: function* (context: OrchestrationContext) {
      const { n, limit } = context.df.getInput<{ n: number; limit: number }>();
      if (n >= limit) return n;
      yield context.df.waitForExternalEvent('tick');
      context.df.continueAsNew({ n: n + 1, limit });
      return undefined;
    },
  },
  {
    kind: 'orchestration',
    name: 'catcher',
    handler: function* (context: OrchestrationContext) {
      try {
        yield context.df.callActivity('fail');
        return 'not caught';
      } catch (err) {
        return `caught: ${(err as Error).message}`;
      }
    },
  },
  {
    kind: 'orchestration',
    name: 'broken',
    handler: function* (context: OrchestrationContext) {
      yield context.df.callActivity('double', 1);
      throw new Error('orchestrator bug');
    },
  },
  {
    kind: 'orchestration',
    name: 'resumable',
    handler: function* (context: OrchestrationContext) {
      const gated = (yield context.df.callActivity('gated', context.df.instanceId)) as string;
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 300));
      return gated;
    },
  },
];

let azurite: AzuriteHandle;
let dataDir: string;
let runtime: LocalRuntime;

async function start(): Promise<LocalRuntime> {
  return startLocalRuntime({
    env: { SM_DATA_DIR: dataDir },
    catalog,
    storageConnectionString: azurite.connectionString,
    port: 0,
    log: (line) => process.env['DEBUG_DURABLE'] && console.log(line),
  });
}

async function finished(id: string) {
  return waitFor(async () => {
    const s = await runtime.durable.getStatus(id);
    return s && ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
  }, 20_000, `${id} to finish`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sm-durable-'));
  azurite = await startAzurite({ location: dataDir, inMemory: true });
  runtime = await start();
});
afterAll(async () => {
  await runtime?.stop();
  await azurite?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local durable engine', () => {
  it('runs activities in sequence and completes with the output', async () => {
    expect(await runtime.durable.startNew('sequence', { instanceId: 'seq-1', input: [1, 2, 3] })).toBe('started');
    const status = await finished('seq-1');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 12, name: 'sequence', input: [1, 2, 3] });
  });

  it('fans out with Task.all', async () => {
    await runtime.durable.startNew('fanout', { instanceId: 'fan-1' });
    expect((await finished('fan-1')).output).toEqual([20, 40, 60, 80, 100]);
  });

  it('delivers an external event that wins a Task.any race against a timer', async () => {
    await runtime.durable.startNew('race', { instanceId: 'race-event', input: { waitMs: 60_000 } });
    await waitFor(async () => (await runtime.durable.getStatus('race-event'))?.runtimeStatus === 'Running');
    await runtime.durable.raiseEvent('race-event', 'go', { verdict: 'fail' });
    expect((await finished('race-event')).output).toEqual({ winner: 'event', data: { verdict: 'fail' } });
  });

  it('fires a durable timer that wins when no event comes', async () => {
    await runtime.durable.startNew('race', { instanceId: 'race-timer', input: { waitMs: 200 } });
    expect((await finished('race-timer')).output).toEqual({ winner: 'timer' });
  });

  it('keeps an event raised before anyone waits for it', async () => {
    await runtime.durable.startNew('counter', { instanceId: 'early', input: { n: 0, limit: 1 } });
    await runtime.durable.raiseEvent('early', 'tick');
    expect((await finished('early')).output).toBe(1);
  });

  it('continues as new with bounded history', async () => {
    await runtime.durable.startNew('counter', { instanceId: 'count-1', input: { n: 0, limit: 5 } });
    const store = new LocalDurableStore(runtime.services.storage);
    for (let i = 1; i <= 5; i++) {
      await waitFor(async () => (await store.get('count-1'))?.row.execution === i - 1 && (await store.inbox('count-1')).length === 0);
      await runtime.durable.raiseEvent('count-1', 'tick');
    }
    expect((await finished('count-1')).output).toBe(5);
    const { row } = (await store.get('count-1'))!;
    expect(row.execution).toBe(5);
    // Only the last execution's history is kept.
    expect((await store.history('count-1', row.execution)).length).toBe(row.historyLength);
    expect(await store.history('count-1', 0)).toEqual([]);
  });

  it('hands an activity failure to the orchestrator as an exception', async () => {
    await runtime.durable.startNew('catcher', { instanceId: 'catch-1' });
    // Durable hands the orchestrator "<reason> \n <details>", as the extension does in Azure.
    expect((await finished('catch-1')).output).toMatch(/^caught: activity says no \n /);
  });

  it('marks an orchestrator that throws as Failed', async () => {
    await runtime.durable.startNew('broken', { instanceId: 'broken-1' });
    const status = await finished('broken-1');
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('orchestrator bug');
  });

  it('never starts a second instance with the same id while one runs, and restarts a finished one', async () => {
    expect(await runtime.durable.startNew('race', { instanceId: 'single', input: { waitMs: 60_000 } })).toBe('started');
    const again = await Promise.all([1, 2, 3].map(() => runtime.durable.startNew('race', { instanceId: 'single', input: { waitMs: 1 } })));
    expect(again).toEqual(['exists', 'exists', 'exists']);
    await runtime.durable.raiseEvent('single', 'go', 1);
    await finished('single');
    expect(await runtime.durable.startNew('race', { instanceId: 'single', input: { waitMs: 60_000 } })).toBe('started');
    await runtime.durable.terminate('single', 'test over');
  });

  it('terminates an instance and refuses events to it', async () => {
    await runtime.durable.startNew('race', { instanceId: 'term-1', input: { waitMs: 60_000 } });
    await runtime.durable.terminate('term-1', 'monitor deleted');
    expect(await runtime.durable.getStatus('term-1')).toMatchObject({ runtimeStatus: 'Terminated', output: 'monitor deleted' });
    await expect(runtime.durable.raiseEvent('term-1', 'go')).rejects.toThrow(/no running instance/);
    expect(await runtime.durable.getStatus('nope')).toBeUndefined();
  });

  it('resumes after a restart: reruns an unreported activity and re-arms its timer', async () => {
    await runtime.durable.startNew('resumable', { instanceId: 'resume-1' });
    await waitFor(() => gates.has('resume-1'), 20_000, 'the gated activity to start');
    // Stop while the activity is in flight: like a crashed worker, its result is never reported.
    await runtime.stop();
    gates.get('resume-1')!();
    gates.delete('resume-1');
    expect(calls.get('gated:resume-1')).toBe(1);

    runtime = await start();
    await waitFor(() => gates.has('resume-1'), 20_000, 'the activity to run again after the restart');
    gates.get('resume-1')!();
    const status = await finished('resume-1');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'released' });
    expect(calls.get('gated:resume-1')).toBe(2); // at least once, as in Azure
  });
});
