import type { ScheduledMonitor } from '../monitors/model.js';
import { probe } from '../probes/index.js';
import type { ProbeOutcome } from '../probes/spec.js';
import type { FunctionContext } from '../runtime.js';
import { CycleStore } from '../storage/cycles.js';
import { bucketOf, ResultStore } from '../storage/results.js';
import type { CycleOutcome, ProbeResult } from './result.js';

// Probing a list of monitors for one region and minute: the code both the timer's own
// instance and the queue-triggered shard workers run. Probes run concurrently up to a limit;
// none starts after the deadline and none may run past it. Results are written while the
// probing goes on, a full transaction (100 rows of one partition) at a time, and the short
// outcomes for the verdict step at the end.

/** What probing needs of a monitor (a shard message carries exactly this). */
export type ProbeJob = Pick<ScheduledMonitor, 'id' | 'type' | 'target' | 'timeoutSeconds' | 'expect'>;

/** Probes in flight per instance: enough to hide network waits, few enough for 2 cores. */
export const PROBE_CONCURRENCY = 200;
/** A probe is not started with less time than this left before the deadline. */
const MIN_PROBE_MS = 250;
/**
 * Probe starts are spread at most this far apart (≤ 500 a second), over at most half the
 * time left: handshakes that finish together delay the event loop and with it every
 * timing measured in that turn (docs/PERFORMANCE.md, Probes), while an instance's bill
 * grows with how long it stays busy.
 */
const START_SPACING_MS = 2;
const FULL_BATCH = 100;

export interface ProbeBatch {
  readonly region: string;
  readonly minute: number;
  /** Start of the scheduled minute, ISO. */
  readonly minuteAt: string;
  /** Real time (ms) by which every probe must have finished. */
  readonly deadlineMs: number;
  /** "main" for the timer's own instance, "s<n>" for shard n. */
  readonly part: string;
  readonly jobs: readonly ProbeJob[];
}

export interface BatchReport {
  readonly outcomes: readonly CycleOutcome[];
  /** Not started before the deadline. */
  readonly skipped: number;
  /** Result rows whose write failed (logged); their outcomes still reach the verdict. */
  readonly unwritten: number;
}

export async function probeMonitors(batch: ProbeBatch, context: FunctionContext): Promise<BatchReport> {
  const writer = new ResultWriter(new ResultStore(context.services.storage), context);
  const outcomes: CycleOutcome[] = [];
  let skipped = 0;
  let next = 0;
  const options = { allowPrivateTargets: context.config.allowPrivateTargets, isolated: context.isolated };
  const spacing = Math.min(START_SPACING_MS, Math.max(0, (batch.deadlineMs - Date.now()) / 2 / Math.max(1, batch.jobs.length)));
  let nextStart = Date.now();

  const worker = async () => {
    while (next < batch.jobs.length) {
      const job = batch.jobs[next++]!;
      const wait = nextStart - Date.now();
      nextStart = Math.max(Date.now(), nextStart) + spacing;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const left = batch.deadlineMs - Date.now();
      if (left < MIN_PROBE_MS) {
        skipped++;
        continue;
      }
      const startedAt = new Date().toISOString();
      const outcome = await probe({ type: job.type, target: job.target, timeoutMs: Math.min(job.timeoutSeconds * 1000, left), expect: job.expect }, options);
      outcomes.push(shortOutcome(job.id, outcome));
      writer.add(toResult(job.id, batch, startedAt, outcome));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, batch.jobs.length) }, worker));
  await writer.close();
  await new CycleStore(context.services.storage).writeOutcomes(batch.region, batch.minute, batch.part, outcomes);
  return { outcomes, skipped, unwritten: writer.failed };
}

function shortOutcome(monitorId: string, o: ProbeOutcome): CycleOutcome {
  return {
    monitorId,
    ok: o.ok,
    ...(o.error ? { error: { class: o.error.class, message: o.error.message.slice(0, 300), ...(o.error.code ? { code: o.error.code } : {}) } } : {}),
    phases: o.phases,
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
}

function toResult(monitorId: string, batch: ProbeBatch, at: string, o: ProbeOutcome): ProbeResult {
  return {
    monitorId,
    region: batch.region,
    minuteAt: batch.minuteAt,
    at,
    ok: o.ok,
    ...(o.error ? { error: o.error } : {}),
    phases: o.phases,
    ...(o.status !== undefined ? { status: o.status } : {}),
    ...(o.remoteAddress !== undefined ? { remoteAddress: o.remoteAddress } : {}),
  };
}

/** Buffers results per partition and writes each partition's buffer once it fills a transaction. */
class ResultWriter {
  private readonly buffers = new Map<string, ProbeResult[]>();
  private readonly writes: Promise<void>[] = [];
  failed = 0;

  constructor(
    private readonly store: ResultStore,
    private readonly context: FunctionContext,
  ) {}

  add(result: ProbeResult): void {
    const bucket = bucketOf(result.monitorId);
    let buffer = this.buffers.get(bucket);
    if (!buffer) this.buffers.set(bucket, (buffer = []));
    buffer.push(result);
    if (buffer.length >= FULL_BATCH) {
      this.buffers.delete(bucket);
      this.flush(buffer);
    }
  }

  async close(): Promise<void> {
    for (const buffer of this.buffers.values()) this.flush(buffer);
    this.buffers.clear();
    await Promise.all(this.writes);
  }

  private flush(results: ProbeResult[]): void {
    this.writes.push(
      this.store.write(results).catch((err: unknown) => {
        this.failed += results.length;
        this.context.error('writing results failed', { count: results.length, error: String(err) });
      }),
    );
  }
}
