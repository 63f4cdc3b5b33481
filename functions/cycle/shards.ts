import { z } from 'zod';
import { MONITOR_TYPES, type Expect } from '../probes/spec.js';
import type { FunctionContext } from '../runtime.js';
import { probeShardQueue } from '../storage/names.js';
import { encodeQueueMessage } from '../storage/queue-messages.js';
import type { Storage } from '../storage/storage.js';
import { probeMonitors, type ProbeJob } from './probe-monitors.js';

// Scale-out: monitors due beyond one instance's budget go, in shards, to the region's own
// queue (probe-shards-<region>); the queue trigger probes each shard with the same code as
// the timer, so Azure adds instances as the queue grows. A shard that arrives after its
// cycle's deadline is dropped: its monitors simply did not report from this region.

/** Queue messages are at most 64 KiB, base64 adds a third: keep the JSON under 45,000 characters. */
const SHARD_CHARS = 45_000;
/** Small shards spread over more instances and workers. */
const SHARD_MONITORS = 250;

const shardSchema = z.object({
  region: z.string().min(1).max(40),
  minute: z.number().int().nonnegative(),
  minuteAt: z.iso.datetime(),
  deadlineMs: z.number().int().nonnegative(),
  shard: z.number().int().nonnegative(),
  jobs: z.array(
    z.object({
      id: z.string().min(1).max(64),
      type: z.enum(MONITOR_TYPES),
      target: z.string().min(1).max(2048),
      timeoutSeconds: z.number().int().min(1).max(30),
      expect: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type Shard = z.infer<typeof shardSchema>;

const ensuredQueues = new Set<string>();

/** Sends `jobs` as shards; returns how many. */
export async function sendShards(storage: Storage, cycle: Omit<Shard, 'shard' | 'jobs'>, jobs: readonly ProbeJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const name = probeShardQueue(cycle.region);
  const queue = storage.queue(name);
  if (!ensuredQueues.has(name)) {
    await queue.createIfNotExists();
    ensuredQueues.add(name);
  }
  const shards = packShards(jobs);
  // The message expires with its cycle: nobody should probe for a minute that is over.
  const ttlSeconds = Math.max(1, Math.ceil((cycle.deadlineMs - Date.now()) / 1000));
  await Promise.all(shards.map((shardJobs, shard) => queue.sendMessage(encodeQueueMessage({ ...cycle, shard, jobs: shardJobs }), { messageTimeToLive: ttlSeconds })));
  return shards.length;
}

export function packShards(jobs: readonly ProbeJob[]): ProbeJob[][] {
  const shards: ProbeJob[][] = [];
  let current: ProbeJob[] = [];
  let chars = 0;
  for (const job of jobs) {
    const size = JSON.stringify(job).length + 1;
    if (current.length > 0 && (current.length >= SHARD_MONITORS || chars + size > SHARD_CHARS)) {
      shards.push(current);
      current = [];
      chars = 0;
    }
    current.push(job);
    chars += size;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}

/** The queue trigger: probes one shard in this region, as the timer would have. */
export async function probeShard(message: unknown, context: FunctionContext): Promise<void> {
  const parsed = shardSchema.safeParse(message);
  if (!parsed.success) {
    // A malformed message can never succeed: drop it rather than retry it into the poison queue.
    context.error('dropped a malformed probe shard', { issue: parsed.error.issues[0]?.message });
    return;
  }
  const shard = parsed.data;
  if (shard.region !== context.region) {
    context.error('dropped a probe shard of another region', { shardRegion: shard.region });
    return;
  }
  if (Date.now() >= shard.deadlineMs) {
    context.warn('dropped a probe shard that arrived after its cycle', { minute: shard.minute, shard: shard.shard, monitors: shard.jobs.length });
    return;
  }
  const jobs: ProbeJob[] = shard.jobs.map((j) => ({ ...j, expect: j.expect as Expect }));
  const report = await probeMonitors(
    { region: shard.region, minute: shard.minute, minuteAt: shard.minuteAt, deadlineMs: shard.deadlineMs, part: `s${shard.shard}`, jobs },
    context,
  );
  context.log('probe shard done', { minute: shard.minute, shard: shard.shard, probed: report.outcomes.length, skipped: report.skipped });
}
