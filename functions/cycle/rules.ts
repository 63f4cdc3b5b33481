import type { RegionReport, Verdict, VerdictOutcome } from '../incidents/verdict.js';
import { isLocalFault } from '../probes/index.js';
import type { CanaryCheck } from '../storage/cycles.js';
import type { CycleOutcome } from './result.js';

// The verdict rules (DESIGN.md, Decide), pure: what the regions reported in one cycle →
// which regions are trusted, whether the cycle is suppressed, and one verdict per monitor.

/** A region is abnormal from this error rate on (failures that say nothing about the target). */
export const ABNORMAL_ERROR_RATE = 0.5;
/**
 * Below this many local faults, monitors alone do not make a region abnormal: with a handful
 * of monitors one dead target would. The canaries speak for such regions.
 */
export const MIN_LOCAL_FAULTS = 5;

export interface RegionCycle {
  readonly region: string;
  readonly outcomes: readonly CycleOutcome[];
  readonly canaries: readonly CanaryCheck[];
}

export interface RegionStats {
  readonly region: string;
  readonly probes: number;
  readonly failures: number;
  /** Failed probes that say nothing about their target, plus failed canaries. */
  readonly localFaults: number;
  readonly canaryFailures: number;
  readonly errorRate: number;
  readonly abnormal: boolean;
  readonly trusted: boolean;
}

export interface CycleDecision {
  readonly regions: readonly RegionStats[];
  /** Every region that reported was abnormal: the problem is probably ours. */
  readonly suppressed: boolean;
  readonly verdicts: readonly Verdict[];
}

export function regionStats(cycle: RegionCycle): Omit<RegionStats, 'trusted'> {
  let failures = 0;
  let monitorFaults = 0;
  for (const o of cycle.outcomes) {
    if (o.ok) continue;
    failures++;
    if (o.error && isLocalFault(o.error)) monitorFaults++;
  }
  const canaryFailures = cycle.canaries.filter((c) => !c.ok).length;
  const localFaults = monitorFaults + canaryFailures;
  const checks = cycle.outcomes.length + cycle.canaries.length;
  const errorRate = checks === 0 ? 0 : localFaults / checks;
  const canariesDown = cycle.canaries.length > 0 && canaryFailures * 2 > cycle.canaries.length;
  const abnormal = canariesDown || (localFaults >= MIN_LOCAL_FAULTS && errorRate >= ABNORMAL_ERROR_RATE);
  return { region: cycle.region, probes: cycle.outcomes.length, failures, localFaults, canaryFailures, errorRate, abnormal };
}

/** Decides one cycle from the regions that reported (regions that did not are simply absent). */
export function decideCycle(minute: number, at: string, cycles: readonly RegionCycle[]): CycleDecision {
  const stats = cycles.map(regionStats);
  const suppressed = stats.length > 0 && stats.every((s) => s.abnormal);
  // Abnormal while others are healthy: untrusted. Abnormal everywhere: nobody is trusted.
  const regions: RegionStats[] = stats.map((s) => ({ ...s, trusted: !s.abnormal }));
  const trusted = new Map(regions.map((r) => [r.region, r.trusted]));

  const reports = new Map<string, RegionReport[]>();
  for (const cycle of cycles) {
    for (const o of cycle.outcomes) {
      let list = reports.get(o.monitorId);
      if (!list) reports.set(o.monitorId, (list = []));
      list.push({
        region: cycle.region,
        ok: o.ok,
        trusted: trusted.get(cycle.region) ?? false,
        ...(o.error ? { error: o.error } : {}),
        phases: o.phases,
        ...(o.status !== undefined ? { status: o.status } : {}),
      });
    }
  }
  const verdicts: Verdict[] = [];
  for (const [monitorId, list] of reports) {
    verdicts.push({ monitorId, minute, at, outcome: outcomeOf(list), reports: list });
  }
  verdicts.sort((a, b) => a.monitorId.localeCompare(b.monitorId));
  return { regions, suppressed, verdicts };
}

/**
 * One monitor's outcome. Trusted regions decide: pass if one passed, fail if all failed.
 * Without a trusted report a satisfactory answer still proves the target up, and failures
 * the target itself answered (an HTTP 503 from every region) still prove an outage; only
 * failures that could be ours are suppressed.
 */
export function outcomeOf(reports: readonly RegionReport[]): VerdictOutcome {
  const trusted = reports.filter((r) => r.trusted);
  if (trusted.length > 0) return trusted.some((r) => r.ok) ? 'pass' : 'fail';
  if (reports.some((r) => r.ok)) return 'pass';
  if (reports.length > 0 && reports.every((r) => r.error !== undefined && !isLocalFault(r.error))) return 'fail';
  return 'suppressed';
}
