import { createRequire } from 'node:module';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { HistoryEvent } from './history.js';

// durable-functions' own replay executor, reached through its testing utilities
// (createOrchestrator / DurableOrchestrationInput), which the package does not export from
// its index. The version is pinned in package.json and tests/unit/durable-contract.test.ts
// checks every internal this file relies on, so an upgrade that moves them fails loudly.

interface OrchestratorStateLike {
  readonly isDone: boolean;
  readonly actions: unknown[][];
  readonly output: unknown;
  readonly error?: string;
  readonly customStatus?: unknown;
}

interface TestingUtils {
  createOrchestrator(fn: OrchestrationHandler): (input: unknown, context: unknown) => Promise<OrchestratorStateLike>;
  DurableOrchestrationInput: new (instanceId: string, history: HistoryEvent[], input: unknown) => unknown;
  DummyOrchestrationContext: new (functionName: string, invocationId: string, logHandler: (level: string, ...args: unknown[]) => void) => OrchestrationContext;
}

const require = createRequire(import.meta.url);
const utils = require('durable-functions/lib/src/util/testingUtils.js') as TestingUtils;
const { ActionType } = require('durable-functions/lib/src/actions/ActionType.js') as { ActionType: Record<string, number> };

/** The wire action types this runtime executes (names as in durable-functions' ActionType). */
export const ACTION = {
  CallActivity: ActionType['CallActivity']!,
  CallActivityWithRetry: ActionType['CallActivityWithRetry']!,
  ContinueAsNew: ActionType['ContinueAsNew']!,
  CreateTimer: ActionType['CreateTimer']!,
  WaitForExternalEvent: ActionType['WaitForExternalEvent']!,
  WhenAny: ActionType['WhenAny']!,
  WhenAll: ActionType['WhenAll']!,
} as const;

export type ReplayAction =
  | { readonly kind: 'activity'; readonly seq: number; readonly name: string; readonly input: unknown }
  | { readonly kind: 'timer'; readonly seq: number; readonly fireAt: Date; readonly canceled: boolean }
  | { readonly kind: 'event'; readonly name: string }
  | { readonly kind: 'continueAsNew'; readonly input: unknown };

export interface ReplayResult {
  readonly done: boolean;
  readonly output: unknown;
  readonly error: string | undefined;
  readonly customStatus: unknown;
  /** Every action the orchestrator has asked for in this execution, in schedule order. */
  readonly actions: readonly ReplayAction[];
}

interface RawAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: Date;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: RawAction[];
}

export type OrchestrationLog = (level: string, ...args: unknown[]) => void;

/** Replays `history` through the orchestrator and returns what it wants done. Never throws. */
export async function replay(
  name: string,
  fn: OrchestrationHandler,
  instanceId: string,
  input: unknown,
  history: HistoryEvent[],
  log: OrchestrationLog,
): Promise<ReplayResult> {
  const handler = utils.createOrchestrator(fn);
  const context = new utils.DummyOrchestrationContext(name, `${instanceId}:${history.length}`, log);
  try {
    const state = await handler(new utils.DurableOrchestrationInput(instanceId, history, input), context);
    return {
      done: state.isDone,
      output: state.output,
      error: undefined,
      customStatus: state.customStatus,
      actions: flatten(state.actions.flat() as RawAction[]),
    };
  } catch (err) {
    return { done: true, output: undefined, error: err instanceof Error ? failureMessage(err.message) : String(err), customStatus: undefined, actions: [] };
  }
}

/**
 * Numbers actions as the executor does: activities and timers take the next sequence
 * number, external events are matched by name and take none; Task.any/all are containers.
 */
function flatten(raw: RawAction[]): ReplayAction[] {
  const out: ReplayAction[] = [];
  let seq = 0;
  const visit = (a: RawAction) => {
    switch (a.actionType) {
      case ACTION.WhenAll:
      case ACTION.WhenAny:
        for (const child of a.compoundActions ?? []) visit(child);
        return;
      case ACTION.CallActivity:
        out.push({ kind: 'activity', seq: seq++, name: a.functionName!, input: decodeInput(a.input) });
        return;
      case ACTION.CreateTimer:
        out.push({ kind: 'timer', seq: seq++, fireAt: new Date(a.fireAt!), canceled: a.isCanceled === true });
        return;
      case ACTION.WaitForExternalEvent:
        out.push({ kind: 'event', name: a.externalEventName! });
        return;
      case ACTION.ContinueAsNew:
        out.push({ kind: 'continueAsNew', input: decodeInput(a.input) });
        return;
      default:
        throw new Error(`the local runtime does not run durable action type ${a.actionType} (activities with retry, sub-orchestrations, entities and HTTP are not used by this app)`);
    }
  };
  raw.forEach(visit);
  return out;
}

/** Actions carry string inputs already JSON-encoded (durable-functions' Utils.processInput). */
function decodeInput(input: unknown): unknown {
  return typeof input === 'string' ? JSON.parse(input) : input;
}

/**
 * OrchestrationFailureError carries the orchestrator's own error inside the replay state it
 * appends after a marker; the text before the marker says nothing useful ("false").
 */
const OUT_OF_PROC = '$OutOfProcData$:';
function failureMessage(message: string): string {
  const marker = message.indexOf(OUT_OF_PROC);
  if (marker < 0) return message;
  try {
    const state = JSON.parse(message.slice(marker + OUT_OF_PROC.length)) as { error?: string };
    if (state.error) return state.error;
  } catch {
    // fall through to the plain text
  }
  return message.slice(0, marker).trim();
}
