import type { Phases, ProbeError } from '../probes/spec.js';

// One probe of one monitor from one region in one cycle: what the cycle writes and the
// results route reads. Keyed by (monitor, region, scheduled minute), so writing it again
// rewrites the same row.

export interface ProbeResult {
  readonly monitorId: string;
  readonly region: string;
  /** Start of the scheduled minute (ISO): the key of the cycle, whatever the timer's lag. */
  readonly minuteAt: string;
  /** When the probe started (ISO). */
  readonly at: string;
  readonly ok: boolean;
  readonly error?: ProbeError;
  readonly phases: Phases;
  readonly status?: number;
  readonly remoteAddress?: string;
}

/** The short form of a result that the verdict step reads back from the cycle's partition. */
export interface CycleOutcome {
  readonly monitorId: string;
  readonly ok: boolean;
  readonly error?: ProbeError;
  readonly phases: Phases;
  readonly status?: number;
}
