// History events in the wire shape durable-functions' replay executor reads (the same JSON
// the Durable extension sends in Azure): PascalCase fields, EventType numbers, Timestamp
// as a Date. Only the kinds this runtime produces are modelled.

export const EVENT = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

export interface HistoryEvent {
  readonly EventType: number;
  readonly EventId: number;
  readonly IsPlayed: boolean;
  readonly Timestamp: Date;
  readonly Name?: string;
  readonly Input?: string;
  readonly Result?: string;
  readonly Reason?: string;
  readonly Details?: string;
  readonly TaskScheduledId?: number;
  readonly TimerId?: number;
  readonly FireAt?: string;
}

const base = (EventType: number, at: Date, EventId = -1) => ({ EventType, EventId, IsPlayed: false, Timestamp: at });
const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

export const history = {
  orchestratorStarted: (at: Date): HistoryEvent => base(EVENT.OrchestratorStarted, at),
  orchestratorCompleted: (at: Date): HistoryEvent => base(EVENT.OrchestratorCompleted, at),
  executionStarted: (at: Date, name: string, input: unknown): HistoryEvent => ({ ...base(EVENT.ExecutionStarted, at), Name: name, ...opt('Input', json(input)) }),
  taskScheduled: (at: Date, seq: number, name: string, input: unknown): HistoryEvent => ({ ...base(EVENT.TaskScheduled, at, seq), Name: name, ...opt('Input', json(input)) }),
  taskCompleted: (at: Date, seq: number, result: unknown): HistoryEvent => ({ ...base(EVENT.TaskCompleted, at), TaskScheduledId: seq, Result: JSON.stringify(result ?? null) }),
  taskFailed: (at: Date, seq: number, reason: string, details: string): HistoryEvent => ({ ...base(EVENT.TaskFailed, at), TaskScheduledId: seq, Reason: reason, Details: details }),
  timerCreated: (at: Date, seq: number, fireAt: Date): HistoryEvent => ({ ...base(EVENT.TimerCreated, at, seq), FireAt: fireAt.toISOString() }),
  timerFired: (at: Date, seq: number, fireAt: string): HistoryEvent => ({ ...base(EVENT.TimerFired, at), TimerId: seq, FireAt: fireAt }),
  eventRaised: (at: Date, name: string, data: unknown): HistoryEvent => ({ ...base(EVENT.EventRaised, at), Name: name, ...opt('Input', json(data)) }),
};

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

export function toJson(event: HistoryEvent): string {
  return JSON.stringify(event);
}

export function fromJson(text: string): HistoryEvent {
  const raw = JSON.parse(text) as HistoryEvent & { Timestamp: string };
  return { ...raw, Timestamp: new Date(raw.Timestamp) };
}

/** The sequence number a completion event answers, if it is one. */
export function completes(event: HistoryEvent): number | undefined {
  if (event.EventType === EVENT.TaskCompleted || event.EventType === EVENT.TaskFailed) return event.TaskScheduledId;
  if (event.EventType === EVENT.TimerFired) return event.TimerId;
  return undefined;
}
