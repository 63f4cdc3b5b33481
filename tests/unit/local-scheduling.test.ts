import { describe, expect, it } from 'vitest';
import { matchRoute, parseRouteTemplate } from '../../functions/api/route-template.js';
import { TimerScheduler } from '../../functions/local/timers.js';

function scheduler(minuteMs: number): TimerScheduler {
  return new TimerScheduler({ timers: [], regions: [], primaryRegion: 'eu', minuteMs, run: async () => undefined, skip: () => undefined, regionIsUp: () => true });
}

describe('scaled NCRONTAB clock', () => {
  it('reads schedules in real minutes when the minute is 60 s', () => {
    const s = scheduler(60_000);
    const t = Date.UTC(2026, 0, 1, 12, 0, 10);
    expect(s.nextTick('0 * * * * *', t)).toBe(Date.UTC(2026, 0, 1, 12, 1, 0));
    expect(s.nextTick('30 */5 * * * *', t)).toBe(Date.UTC(2026, 0, 1, 12, 0, 30));
    expect(s.nextTick('0 0 * * * *', t)).toBe(Date.UTC(2026, 0, 1, 13, 0, 0));
  });

  it('shrinks every part of a schedule with a short minute', () => {
    const s = scheduler(2000); // one minute = 2 s
    expect(s.nextTick('0 * * * * *', 1001)).toBeCloseTo(2000, 6);
    expect(s.nextTick('30 * * * * *', 0)).toBeCloseTo(1000, 6); // second 30 = half a minute
    expect(s.nextTick('0 */5 * * * *', 1)).toBeCloseTo(10_000, 6);
  });
});

describe('route templates', () => {
  const match = (route: string, path: string) => matchRoute(parseRouteTemplate(route), path.split('/').filter(Boolean));

  it('matches literals case-insensitively and decodes parameters', () => {
    expect(match('monitors/{id}', 'Monitors/a%2Fb')).toEqual({ id: 'a/b' });
    expect(match('monitors/{id}', 'monitors')).toBeUndefined();
    expect(match('monitors/{id}', 'monitors/1/extra')).toBeUndefined();
  });

  it('supports optional, constrained and catch-all parameters', () => {
    expect(match('keys/{id?}', 'keys')).toEqual({});
    expect(match('keys/{id:int?}', 'keys/4')).toEqual({ id: '4' });
    expect(match('files/{*rest}', 'files/a/b')).toEqual({ rest: 'a/b' });
  });

  it('keeps a malformed escape as it is instead of failing', () => {
    expect(match('confirm/{token}', 'confirm/%E0%A4%A')).toEqual({ token: '%E0%A4%A' });
  });

  it('rejects templates it cannot serve faithfully', () => {
    expect(() => parseRouteTemplate('a/{b}c')).toThrow(/unsupported/);
  });
});
