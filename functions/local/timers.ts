import { CronExpressionParser } from 'cron-parser';
import type { TimerFunction, TimerRun } from '../runtime.js';

// Fires timer functions on their NCRONTAB schedules, once per simulated region. The
// schedule is read on a scaled clock: with SM_MINUTE_SECONDS=2, "every minute" means every
// 2 s, "second 30" means 1 s into that minute. Timers marked primaryOnly run in the primary
// region only. As in Azure, a run of one timer in one
// region never overlaps the previous run: a tick that finds it still busy is skipped.

export interface TimerSchedulerOptions {
  readonly timers: readonly TimerFunction[];
  readonly regions: readonly string[];
  /** Where primaryOnly timers run. */
  readonly primaryRegion: string;
  readonly minuteMs: number;
  /** Runs one invocation; the scheduler awaits it to know when the region is free again. */
  readonly run: (timer: TimerFunction, region: string, run: TimerRun) => Promise<void>;
  readonly skip: (timer: TimerFunction, region: string, reason: string) => void;
  /** Returning false skips the tick (a region taken down through /api/dev). */
  readonly regionIsUp: (region: string) => boolean;
}

export class TimerScheduler {
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly scale: number;

  constructor(private readonly options: TimerSchedulerOptions) {
    this.scale = 60_000 / options.minuteMs;
  }

  start(): void {
    for (const timer of this.options.timers) {
      const regions = timer.primaryOnly ? [this.options.primaryRegion] : this.options.regions;
      for (const region of regions) this.scheduleNext(timer, region, Date.now());
    }
  }

  /** Stops firing and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
    await Promise.allSettled(this.running.values());
  }

  /** Real time of the first tick of `schedule` after real time `afterMs`. */
  nextTick(schedule: string, afterMs: number): number {
    const virtual = CronExpressionParser.parse(schedule, { currentDate: new Date(afterMs * this.scale), tz: 'UTC' });
    return virtual.next().getTime() / this.scale;
  }

  private scheduleNext(timer: TimerFunction, region: string, afterMs: number): void {
    if (this.stopped) return;
    const due = this.nextTick(timer.schedule, afterMs);
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      this.fire(timer, region, due);
      this.scheduleNext(timer, region, due);
    }, Math.max(0, due - Date.now()));
    this.handles.add(handle);
  }

  private fire(timer: TimerFunction, region: string, due: number): void {
    if (this.stopped) return;
    const key = `${timer.name}@${region}`;
    if (!this.options.regionIsUp(region)) return this.options.skip(timer, region, 'region is down');
    if (this.running.has(key)) return this.options.skip(timer, region, 'previous run still in progress');
    const virtualDue = due * this.scale;
    const run: TimerRun = {
      scheduledAt: new Date(Math.round(due)),
      // Scaled minutes are not whole milliseconds: take the index from the exact virtual time.
      minute: Math.floor(virtualDue / 60_000 + 1e-9),
      isPastDue: Date.now() - due > this.options.minuteMs,
    };
    const promise = this.options.run(timer, region, run).finally(() => this.running.delete(key));
    this.running.set(key, promise);
  }
}
