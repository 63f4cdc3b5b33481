import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admit } from '../../../functions/accounts/rate-limit.js';

describe('sliding-window rate limit', () => {
  const hour = 3_600_000;

  it('admits up to max requests per window, then says when to come back', () => {
    const t0 = Date.UTC(2030, 0, 1);
    let times: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = admit(times, t0 + i * 1000, hour, 3);
      expect(a.ok).toBe(true);
      if (a.ok) times = a.times;
    }
    const refused = admit(times, t0 + 5000, hour, 3);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 3600 - 5 });
    expect(admit(times, t0 + hour + 1, hour, 3).ok).toBe(true);
  });

  it('never admits more than max in any window, and keeps only recent times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * hour }), { maxLength: 60 }), (offsets) => {
        const t0 = Date.UTC(2030, 0, 1);
        let times: string[] = [];
        const admitted: number[] = [];
        for (const at of [...offsets].sort((a, b) => a - b).map((o) => t0 + o)) {
          const a = admit(times, at, hour, 3);
          if (a.ok) {
            times = a.times;
            admitted.push(at);
            expect(times.length).toBeLessThanOrEqual(3);
          }
        }
        for (const start of admitted) expect(admitted.filter((t) => t >= start && t < start + hour).length).toBeLessThanOrEqual(3);
      }),
    );
  });
});
