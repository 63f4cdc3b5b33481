import type { ActivityFunction, DurableClientPort, FunctionContext, InstanceStatus, OrchestrationFunction } from '../../runtime.js';
import type { LocalDurableStore, InstanceRow, StoredInstance } from '../../storage/local-durable.js';
import { completes, EVENT, fromJson, history as h, toJson, type HistoryEvent } from './history.js';
import { replay, type ReplayAction } from './replay.js';

// Runs Durable orchestrations in the local runtime the way the Durable extension does in
// Azure: each inbox message (start, activity result, timer, raised event) is appended to the
// instance's history, the orchestrator is replayed over the whole history by
// durable-functions' own executor, and the new actions it returns are carried out.
// Everything is kept in Azurite, so a restart resumes every instance: activities that were
// scheduled but never reported run again (at least once, as in Azure), timers are re-armed.

export interface LocalDurableOptions {
  readonly store: LocalDurableStore;
  readonly orchestrations: readonly OrchestrationFunction[];
  readonly activities: readonly ActivityFunction[];
  /** Context for an activity invocation. */
  readonly context: (activity: ActivityFunction) => FunctionContext;
  readonly log: (message: string) => void;
}

const TERMINAL = new Set(['Completed', 'Failed', 'Terminated']);

interface Cached {
  readonly execution: number;
  readonly events: HistoryEvent[];
}

export class LocalDurableEngine implements DurableClientPort {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly cache = new Map<string, Cached>();
  private stopped = false;
  /** Replays performed and history events replayed (for benchmarks). */
  readonly stats = { replays: 0, eventsReplayed: 0 };

  constructor(private readonly options: LocalDurableOptions) {}

  /** Resumes every pending or running instance found in storage. */
  async start(): Promise<void> {
    for (const { instanceId, row } of await this.options.store.active()) {
      const events = await this.loadHistory(instanceId, row);
      const inbox = await this.options.store.inbox(instanceId);
      const answered = new Set<number>();
      for (const e of events) {
        const seq = completes(e);
        if (seq !== undefined) answered.add(seq);
      }
      for (const m of inbox) {
        const seq = m.execution === row.execution ? completes(fromJson(m.event)) : undefined;
        if (seq !== undefined) answered.add(seq);
      }
      for (const e of events) {
        if (answered.has(e.EventId)) continue;
        if (e.EventType === EVENT.TaskScheduled) this.runActivity(instanceId, row.execution, e.EventId, e.Name!, parse(e.Input));
        if (e.EventType === EVENT.TimerCreated) this.armTimer(instanceId, row.execution, e.EventId, new Date(e.FireAt!));
      }
      this.kick(instanceId);
    }
  }

  /**
   * Stops taking work and waits for replay steps in progress. Activities still running are
   * abandoned, as a stopping worker abandons them in Azure: their results are dropped and
   * they run again on the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const set of this.timers.values()) for (const t of set) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(this.chains.values());
  }

  /** Resolves when no instance has work queued in this process (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.chains.size > 0 || this.inflight.size > 0) {
      await Promise.allSettled([...this.inflight, ...this.chains.values()]);
    }
  }

  async startNew(orchestration: string, options: { instanceId: string; input?: unknown }): Promise<'started' | 'exists'> {
    if (!this.options.orchestrations.some((o) => o.name === orchestration)) throw new Error(`no orchestration named "${orchestration}"`);
    const now = new Date();
    const row: InstanceRow = {
      name: orchestration,
      status: 'Pending',
      execution: 0,
      historyLength: 0,
      input: JSON.stringify(options.input ?? null),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const created = await this.options.store.create(options.instanceId, row, toJson(h.executionStarted(now, orchestration, options.input)));
    if (!created) return 'exists';
    this.cache.delete(options.instanceId);
    this.clearTimers(options.instanceId);
    this.kick(options.instanceId);
    return 'started';
  }

  async raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void> {
    const instance = await this.options.store.get(instanceId);
    if (!instance || TERMINAL.has(instance.row.status)) throw new Error(`no running instance "${instanceId}"`);
    await this.options.store.enqueue(instanceId, instance.row.execution, toJson(h.eventRaised(new Date(), eventName, data)));
    this.kick(instanceId);
  }

  async getStatus(instanceId: string): Promise<InstanceStatus | undefined> {
    const instance = await this.options.store.get(instanceId);
    if (!instance) return undefined;
    const { row } = instance;
    return {
      instanceId,
      name: row.name,
      runtimeStatus: row.status,
      input: parse(row.input),
      output: row.error ?? parse(row.output),
      customStatus: parse(row.customStatus),
      createdTime: row.createdAt,
      lastUpdatedTime: row.updatedAt,
    };
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    for (;;) {
      const instance = await this.options.store.get(instanceId);
      if (!instance || TERMINAL.has(instance.row.status)) return;
      const row: InstanceRow = { ...instance.row, status: 'Terminated', output: JSON.stringify(reason), updatedAt: new Date().toISOString() };
      if (await this.options.store.setStatus(instanceId, instance.etag, row)) {
        this.clearTimers(instanceId);
        return;
      }
    }
  }

  /** Queues a step for the instance; steps of one instance never run concurrently. */
  private kick(instanceId: string): void {
    if (this.stopped) return;
    const previous = this.chains.get(instanceId) ?? Promise.resolve();
    const next = previous
      .then(() => this.drain(instanceId))
      .catch((err: unknown) => this.options.log(`durable ${instanceId}: step failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`))
      .finally(() => {
        if (this.chains.get(instanceId) === next) this.chains.delete(instanceId);
      });
    this.chains.set(instanceId, next);
  }

  /** Applies inbox messages one at a time until none is left. */
  private async drain(instanceId: string): Promise<void> {
    while (!this.stopped) {
      const instance = await this.options.store.get(instanceId);
      if (!instance) return;
      const inbox = await this.options.store.inbox(instanceId);
      const message = inbox[0];
      if (!message) return;
      if (TERMINAL.has(instance.row.status) || message.execution !== instance.row.execution) {
        await this.options.store.dropInbox(instanceId, message.rowKey); // late news for a finished execution
        continue;
      }
      await this.step(instanceId, instance, message.rowKey, fromJson(message.event));
    }
  }

  private async step(instanceId: string, instance: StoredInstance, consumed: string, event: HistoryEvent): Promise<void> {
    const { row } = instance;
    const orchestration = this.options.orchestrations.find((o) => o.name === row.name);
    if (!orchestration) throw new Error(`instance ${instanceId} runs unknown orchestration "${row.name}"`);
    const past = await this.loadHistory(instanceId, row);

    const answered = completes(event);
    if (answered !== undefined && past.some((e) => completes(e) === answered)) {
      await this.options.store.dropInbox(instanceId, consumed); // a repeated activity result or timer
      return;
    }

    const now = new Date();
    const turn = [h.orchestratorStarted(now), event];
    const input = parse(row.input);
    const result = await replay(row.name, orchestration.handler, instanceId, input, [...past, ...turn], (level, ...args) =>
      this.options.log(`[orchestration ${instanceId}] ${level}: ${args.map(String).join(' ')}`),
    );
    this.stats.replays++;
    this.stats.eventsReplayed += past.length + turn.length;

    const alreadyScheduled = past.filter((e) => e.EventType === EVENT.TaskScheduled || e.EventType === EVENT.TimerCreated).length;
    const fresh = result.actions.filter((a): a is Extract<ReplayAction, { seq: number }> => 'seq' in a && a.seq >= alreadyScheduled);
    for (const action of fresh) {
      turn.push(action.kind === 'activity' ? h.taskScheduled(now, action.seq, action.name, action.input) : h.timerCreated(now, action.seq, action.fireAt));
    }
    turn.push(h.orchestratorCompleted(now));

    const continued = result.done && !result.error ? result.actions.find((a) => a.kind === 'continueAsNew') : undefined;
    const base = { ...row, updatedAt: now.toISOString(), customStatus: json(result.customStatus) };
    let next: InstanceRow;
    let nextExecution: { execution: number; event: string } | undefined;
    if (result.error) {
      next = { ...base, status: 'Failed', error: result.error, historyLength: past.length + turn.length };
      this.options.log(`durable ${instanceId}: orchestration failed: ${result.error}`);
    } else if (continued && continued.kind === 'continueAsNew') {
      const execution = row.execution + 1;
      next = { ...base, status: 'Running', execution, historyLength: 0, input: JSON.stringify(continued.input ?? null) };
      nextExecution = { execution, event: toJson(h.executionStarted(now, row.name, continued.input)) };
    } else if (result.done) {
      next = { ...base, status: 'Completed', output: JSON.stringify(result.output ?? null), historyLength: past.length + turn.length };
    } else {
      next = { ...base, status: 'Running', historyLength: past.length + turn.length };
    }

    const committed = await this.options.store.commitStep(instanceId, instance.etag, {
      row: next,
      newHistory: turn.map(toJson),
      consumed,
      ...(nextExecution ? { next: nextExecution } : {}),
    });
    if (!committed) {
      this.cache.delete(instanceId); // changed under us (terminated, restarted): read again
      return;
    }
    if (nextExecution || TERMINAL.has(next.status)) {
      this.cache.delete(instanceId);
      this.clearTimers(instanceId);
      return;
    }
    this.cache.set(instanceId, { execution: row.execution, events: [...past, ...turn] });
    for (const action of fresh) {
      if (action.kind === 'activity') this.runActivity(instanceId, row.execution, action.seq, action.name, action.input);
      else this.armTimer(instanceId, row.execution, action.seq, action.fireAt);
    }
  }

  private async loadHistory(instanceId: string, row: InstanceRow): Promise<HistoryEvent[]> {
    const cached = this.cache.get(instanceId);
    if (cached && cached.execution === row.execution && cached.events.length === row.historyLength) return cached.events;
    const events = (await this.options.store.history(instanceId, row.execution)).map(fromJson);
    this.cache.set(instanceId, { execution: row.execution, events });
    return events;
  }

  private runActivity(instanceId: string, execution: number, seq: number, name: string, input: unknown): void {
    const activity = this.options.activities.find((a) => a.name === name);
    const work = (async () => {
      let event: HistoryEvent;
      try {
        if (!activity) throw new Error(`no activity named "${name}"`);
        const output = await activity.handler(input, this.options.context(activity));
        event = h.taskCompleted(new Date(), seq, output);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        this.options.log(`durable ${instanceId}: activity ${name} failed: ${error.message}`);
        event = h.taskFailed(new Date(), seq, error.message, error.stack ?? error.message);
      }
      if (this.stopped) return; // the restart runs it again
      await this.options.store.enqueue(instanceId, execution, toJson(event));
      this.kick(instanceId);
    })();
    this.track(work);
  }

  private armTimer(instanceId: string, execution: number, seq: number, fireAt: Date): void {
    if (this.stopped) return;
    const set = this.timers.get(instanceId) ?? new Set<NodeJS.Timeout>();
    this.timers.set(instanceId, set);
    const handle = setTimeout(() => {
      set.delete(handle);
      const work = this.options.store
        .enqueue(instanceId, execution, toJson(h.timerFired(new Date(), seq, fireAt.toISOString())))
        .then(() => this.kick(instanceId));
      this.track(work);
    }, Math.max(0, fireAt.getTime() - Date.now()));
    set.add(handle);
  }

  private clearTimers(instanceId: string): void {
    for (const t of this.timers.get(instanceId) ?? []) clearTimeout(t);
    this.timers.delete(instanceId);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.options.log(`durable: ${String(err)}`)).finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }
}

function parse(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}

function json(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}
