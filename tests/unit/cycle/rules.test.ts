import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCycle, MIN_LOCAL_FAULTS, outcomeOf, regionStats, type RegionCycle } from '../../../functions/cycle/rules.js';
import type { CycleOutcome } from '../../../functions/cycle/result.js';
import type { RegionReport } from '../../../functions/incidents/verdict.js';
import type { ProbeError } from '../../../functions/probes/spec.js';

const PHASES = { dns: null, connect: 1, tls: null, firstByte: 2, total: 3 };
const ISOLATED: ProbeError = { class: 'connect', message: 'isolated', code: 'ENETUNREACH' };
const REFUSED: ProbeError = { class: 'connect', message: 'refused', code: 'ECONNREFUSED' };
const STATUS_503: ProbeError = { class: 'status', message: 'HTTP 503' };
const RESOLVER: ProbeError = { class: 'dns', message: 'resolver failed', code: 'EAI_AGAIN' };

const ok = (monitorId: string): CycleOutcome => ({ monitorId, ok: true, phases: PHASES, status: 200 });
const failed = (monitorId: string, error: ProbeError, status?: number): CycleOutcome => ({ monitorId, ok: false, error, phases: PHASES, ...(status ? { status } : {}) });
const canaries = (up: boolean) => [{ target: 'storage:443', ok: up }, { target: '1.1.1.1:53', ok: up }];
const region = (name: string, outcomes: CycleOutcome[], canariesUp = true): RegionCycle => ({ region: name, outcomes, canaries: canaries(canariesUp) });

function outcomes(decision: ReturnType<typeof decideCycle>): Record<string, string> {
  return Object.fromEntries(decision.verdicts.map((v) => [v.monitorId, v.outcome]));
}

describe('verdict rules', () => {
  it('passes when at least one trusted region passed', () => {
    const d = decideCycle(1, 'at', [region('eu', [failed('m', REFUSED)]), region('us', [ok('m')])]);
    expect(outcomes(d)).toEqual({ m: 'pass' });
  });

  it('fails when every trusted region that reported failed; a region that did not report is absent', () => {
    const d = decideCycle(1, 'at', [region('eu', [failed('m', REFUSED)]), region('us', [failed('m', REFUSED)])]);
    expect(outcomes(d)).toEqual({ m: 'fail' });
    expect(d.verdicts[0]!.reports.map((r) => r.region)).toEqual(['eu', 'us']);
  });

  it('an HTTP 503 from every region is an outage, even with no trusted region', () => {
    const healthy = decideCycle(1, 'at', ['eu', 'us', 'asia'].map((r) => region(r, [failed('m', STATUS_503, 503)])));
    expect(outcomes(healthy)).toEqual({ m: 'fail' });
    expect(healthy.suppressed).toBe(false);
    const allDown = decideCycle(1, 'at', ['eu', 'us'].map((r) => region(r, [failed('m', STATUS_503, 503)], false)));
    expect(allDown.suppressed).toBe(true);
    expect(outcomes(allDown)).toEqual({ m: 'fail' });
  });

  it('a region whose canaries fail is untrusted while others are healthy, and causes no failure', () => {
    const d = decideCycle(1, 'at', [region('eu', [ok('m')]), region('us', [ok('m')]), region('asia', [failed('m', ISOLATED)], false)]);
    expect(d.regions.map((r) => [r.region, r.trusted])).toEqual([['eu', true], ['us', true], ['asia', false]]);
    expect(d.suppressed).toBe(false);
    expect(outcomes(d)).toEqual({ m: 'pass' });
    const onlyIsolatedFailed = decideCycle(1, 'at', [region('eu', [failed('m', REFUSED)]), region('asia', [failed('m', ISOLATED)], false)]);
    expect(outcomes(onlyIsolatedFailed)).toEqual({ m: 'fail' });
  });

  it('an abnormal error rate everywhere suppresses the cycle', () => {
    const d = decideCycle(1, 'at', ['eu', 'us', 'asia'].map((r) => region(r, [failed('a', ISOLATED), failed('b', ISOLATED)], false)));
    expect(d.suppressed).toBe(true);
    expect(d.regions.every((r) => !r.trusted)).toBe(true);
    expect(outcomes(d)).toEqual({ a: 'suppressed', b: 'suppressed' });
  });

  it('counts only failures that say nothing about the target toward the error rate', () => {
    const many = (error: ProbeError) => Array.from({ length: 20 }, (_, i) => failed(`m${i}`, error));
    expect(regionStats(region('eu', many(REFUSED))).abnormal).toBe(false);
    expect(regionStats(region('eu', many(STATUS_503))).abnormal).toBe(false);
    expect(regionStats(region('eu', many(RESOLVER))).abnormal).toBe(true);
    const stats = regionStats(region('eu', [...many(ISOLATED), ...Array.from({ length: 20 }, (_, i) => ok(`ok${i}`))]));
    expect(stats.errorRate).toBeCloseTo(20 / 42);
    expect(stats.failures).toBe(20);
  });

  it('with canaries up, a handful of local faults does not make a region abnormal', () => {
    const few = Array.from({ length: MIN_LOCAL_FAULTS - 1 }, (_, i) => failed(`m${i}`, ISOLATED));
    expect(regionStats(region('eu', few)).abnormal).toBe(false);
    expect(regionStats({ region: 'eu', outcomes: [], canaries: [] })).toMatchObject({ errorRate: 0, abnormal: false });
  });

  const errorArb = fc.constantFrom(ISOLATED, REFUSED, STATUS_503, RESOLVER);
  const reportArb = fc.record({
    region: fc.constantFrom('eu', 'us', 'asia'),
    ok: fc.boolean(),
    trusted: fc.boolean(),
    error: errorArb,
  }).map(({ region, ok, trusted, error }): RegionReport => ({ region, ok, trusted, phases: PHASES, ...(ok ? {} : { error }) }));

  it('property: a trusted pass always passes; no trusted report never fails on failures that could be ours', () => {
    fc.assert(
      fc.property(fc.array(reportArb, { minLength: 1, maxLength: 6 }), (reports) => {
        const outcome = outcomeOf(reports);
        if (reports.some((r) => r.trusted && r.ok)) expect(outcome).toBe('pass');
        const trusted = reports.filter((r) => r.trusted);
        if (trusted.length > 0 && trusted.every((r) => !r.ok)) expect(outcome).toBe('fail');
        if (trusted.length === 0 && reports.some((r) => !r.ok && r.error && (r.error.code === 'ENETUNREACH' || r.error.code === 'EAI_AGAIN'))) {
          expect(outcome).not.toBe('fail');
        }
      }),
    );
  });

  it('property: adding a region that did not report (no outcomes) never turns a verdict into a failure', () => {
    const outcomeArb = fc.record({ ok: fc.boolean(), error: errorArb }).map(({ ok: pass, error }) => (pass ? ok('m') : failed('m', error)));
    fc.assert(
      fc.property(fc.array(fc.tuple(outcomeArb, fc.boolean()), { minLength: 1, maxLength: 3 }), (list) => {
        const cycles = list.map(([o, up], i) => region(`r${i}`, [o], up));
        const before = outcomes(decideCycle(1, 'at', cycles)).m;
        const after = outcomes(decideCycle(1, 'at', [...cycles, region('silent', [])])).m;
        if (before !== 'fail') expect(after).not.toBe('fail');
      }),
    );
  });
});
