import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDue, offsetOf, selectDue } from '../../../functions/cycle/due.js';
import { INTERVALS, type IntervalMinutes, type ScheduledMonitor } from '../../../functions/monitors/model.js';

function monitor(id: string, intervalMinutes: IntervalMinutes, extra: Partial<ScheduledMonitor> = {}): ScheduledMonitor {
  return { id, type: 'http', target: 'http://example.com/', intervalMinutes, timeoutSeconds: 10, expect: {}, regions: null, paused: false, state: 'unknown', createdAt: '2026-01-01T00:00:00.000Z', ...extra };
}

const NONE = new Set<string>();
const idArb = fc.stringMatching(/^m[a-z0-9]{20}$/);
const intervalArb = fc.constantFrom(...INTERVALS);

describe('due selection', () => {
  it('a monitor is due exactly once in every run of `interval` consecutive minutes', () => {
    fc.assert(
      fc.property(idArb, intervalArb, fc.integer({ min: 0, max: 2 ** 31 - 100 }), (id, interval, start) => {
        const m = monitor(id, interval);
        let due = 0;
        for (let minute = start; minute < start + interval; minute++) if (isDue(m, minute, 'eu', NONE)) due++;
        expect(due).toBe(1);
      }),
    );
  });

  it('the offset is stable and the same in every region', () => {
    fc.assert(
      fc.property(idArb, intervalArb, fc.nat(10_000_000), (id, interval, minute) => {
        expect(offsetOf(id, interval)).toBe(offsetOf(id, interval));
        expect(offsetOf(id, interval)).toBeGreaterThanOrEqual(0);
        expect(offsetOf(id, interval)).toBeLessThan(interval);
        expect(isDue(monitor(id, interval), minute, 'eu', NONE)).toBe(isDue(monitor(id, interval), minute, 'asia', NONE));
      }),
    );
  });

  it('spreads monitors of one interval over its minutes', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `m${String(i).padStart(20, '0')}`);
    for (const interval of [2, 5, 10, 20] as const) {
      const perOffset = new Array<number>(interval).fill(0);
      for (const id of ids) perOffset[offsetOf(id, interval)]!++;
      const even = ids.length / interval;
      for (const n of perOffset) expect(Math.abs(n - even) / even).toBeLessThan(0.1);
    }
  });

  it('monitors under recheck are due every minute, whatever their interval', () => {
    fc.assert(
      fc.property(idArb, intervalArb, fc.nat(10_000_000), (id, interval, minute) => {
        expect(isDue(monitor(id, interval), minute, 'eu', new Set([id]))).toBe(true);
      }),
    );
  });

  it('skips paused monitors and regions a monitor does not use', () => {
    expect(isDue(monitor('m1', 1, { paused: true }), 5, 'eu', new Set(['m1']))).toBe(false);
    expect(isDue(monitor('m1', 1, { regions: ['us'] }), 5, 'eu', NONE)).toBe(false);
    expect(isDue(monitor('m1', 1, { regions: ['us', 'eu'] }), 5, 'eu', NONE)).toBe(true);
  });

  it('selects from a stream of pages', async () => {
    async function* pages() {
      yield [monitor('a', 1), monitor('b', 1, { paused: true })];
      yield [monitor('c', 1)];
    }
    expect((await selectDue(pages(), 7, 'eu', NONE)).map((m) => m.id)).toEqual(['a', 'c']);
  });
});
