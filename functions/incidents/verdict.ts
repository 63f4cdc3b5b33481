import type { Phases, ProbeError } from '../probes/spec.js';

// What the verdict step (cycle/) hands to the incident step (incidents/): one decision per
// monitor and cycle, made by the primary region from every region's results.

export type VerdictOutcome = 'pass' | 'fail' | 'suppressed';

export interface RegionReport {
  readonly region: string;
  readonly ok: boolean;
  /** False when the region's own error rate made it untrusted for this cycle. */
  readonly trusted: boolean;
  readonly error?: ProbeError;
  readonly phases: Phases;
  readonly status?: number;
}

export interface Verdict {
  readonly monitorId: string;
  /** Scheduling-minute index of the cycle (see clock.ts). */
  readonly minute: number;
  /** ISO time of that minute's start. */
  readonly at: string;
  readonly outcome: VerdictOutcome;
  /** One report per region that reported; regions that did not report are absent. */
  readonly reports: readonly RegionReport[];
}
