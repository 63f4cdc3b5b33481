import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { EVENT, history as h } from '../../functions/local/durable/history.js';
import { ACTION, replay } from '../../functions/local/durable/replay.js';

// The local runtime drives durable-functions' replay executor through internals the package
// does not promise to keep (DESIGN.md: pin the version, keep a contract test). Each test
// names one assumption; an upgrade that breaks one fails here, not in a flaky end-to-end run.

const require = createRequire(import.meta.url);

describe('durable-functions internals used by the local runtime', () => {
  it('is pinned to the exact version these assumptions were checked against', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['durable-functions']).toBe('3.5.0');
    expect((require('durable-functions/package.json') as { version: string }).version).toBe('3.5.0');
  });

  it('keeps the history event numbers the engine writes', () => {
    const { HistoryEventType } = require('durable-functions/lib/src/history/HistoryEventType.js') as { HistoryEventType: Record<string, number> };
    for (const [name, value] of Object.entries(EVENT)) expect(HistoryEventType[name], name).toBe(value);
  });

  it('keeps the action type numbers the engine reads', () => {
    const { ActionType } = require('durable-functions/lib/src/actions/ActionType.js') as { ActionType: Record<string, number> };
    expect(ACTION).toEqual({
      CallActivity: ActionType['CallActivity'],
      CallActivityWithRetry: ActionType['CallActivityWithRetry'],
      ContinueAsNew: ActionType['ContinueAsNew'],
      CreateTimer: ActionType['CreateTimer'],
      WaitForExternalEvent: ActionType['WaitForExternalEvent'],
      WhenAny: ActionType['WhenAny'],
      WhenAll: ActionType['WhenAll'],
    });
  });

  it('returns every action of the execution, numbered activities and timers first-come, events by name', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const fn = function* (context: OrchestrationContext) {
      const first = (yield context.df.callActivity('a', 'x')) as number;
      const event = context.df.waitForExternalEvent('verdict');
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
      yield context.df.Task.any([event, timer]);
      return first;
    };
    const started = [h.orchestratorStarted(t0), h.executionStarted(t0, 'o', null)];
    const one = await replay('o', fn, 'id', null, started, () => undefined);
    expect(one.actions).toEqual([{ kind: 'activity', seq: 0, name: 'a', input: 'x' }]);

    const later = new Date(t0.getTime() + 1000);
    const two = await replay(
      'o',
      fn,
      'id',
      null,
      [...started, h.taskScheduled(t0, 0, 'a', 'x'), h.orchestratorCompleted(t0), h.orchestratorStarted(later), h.taskCompleted(later, 0, 7)],
      () => undefined,
    );
    expect(two.done).toBe(false);
    expect(two.actions).toEqual([
      { kind: 'activity', seq: 0, name: 'a', input: 'x' },
      { kind: 'event', name: 'verdict' },
      { kind: 'timer', seq: 1, fireAt: new Date(later.getTime() + 60_000), canceled: false },
    ]);

    const three = await replay(
      'o',
      fn,
      'id',
      null,
      [...started, h.taskScheduled(t0, 0, 'a', 'x'), h.orchestratorStarted(later), h.taskCompleted(later, 0, 7), h.timerCreated(later, 1, new Date(later.getTime() + 60_000)), h.orchestratorStarted(later), h.eventRaised(later, 'verdict', { ok: false })],
      () => undefined,
    );
    expect(three).toMatchObject({ done: true, output: 7, error: undefined });
  });

  it('reports an orchestrator exception with its own message', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    // eslint-disable-next-line require-yield -- an orchestrator that fails before its first yield
    const fn = function* (): Generator<never, never, unknown> {
      throw new Error('deterministic bug');
    };
    const result = await replay('o', fn, 'id', null, [h.orchestratorStarted(t0), h.executionStarted(t0, 'o', null)], () => undefined);
    expect(result).toMatchObject({ done: true, error: 'deterministic bug' });
  });

  it('encodes string activity inputs as JSON in actions (decoded once by the engine)', () => {
    const { Utils } = require('durable-functions/lib/src/util/Utils.js') as { Utils: { processInput(v: unknown): unknown } };
    expect(Utils.processInput('x')).toBe('"x"');
    expect(Utils.processInput({ a: 1 })).toEqual({ a: 1 });
  });
});
