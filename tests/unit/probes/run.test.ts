import { describe, expect, it } from 'vitest';
import { ProbeFailure } from '../../../functions/probes/errors.js';
import { ProbeRun } from '../../../functions/probes/run.js';

describe('ProbeRun', () => {
  it('rejects a pending wait at the deadline with ETIMEDOUT before a connection exists', async () => {
    const run = new ProbeRun(20, { allowPrivateTargets: true });
    run.activity = 'connecting to 192.0.2.1:443';
    let detached = false;
    const waiting = run.wait<void>(() => () => {
      detached = true;
    });
    await expect(waiting).rejects.toMatchObject({ errorClass: 'timeout', code: 'ETIMEDOUT', message: expect.stringContaining('192.0.2.1:443') });
    expect(detached).toBe(true);
    run.finish();
  });

  it('times out without a code once connected', async () => {
    const run = new ProbeRun(20, { allowPrivateTargets: true });
    run.connected = true;
    const failure = await run.wait<void>(() => () => {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProbeFailure);
    expect((failure as ProbeFailure).code).toBeUndefined();
    run.finish();
  });

  it('settles synchronously and detaches listeners exactly once', async () => {
    const run = new ProbeRun(1000, { allowPrivateTargets: true });
    let detaches = 0;
    const value = await run.wait<number>((resolve) => {
      resolve(7);
      resolve(8);
      return () => {
        detaches++;
      };
    });
    expect(value).toBe(7);
    expect(detaches).toBe(1);
    run.finish();
  });

  it('absorbs a late rejection of a settled promise', async () => {
    const run = new ProbeRun(10, { allowPrivateTargets: true });
    let rejectLate: (error: Error) => void = () => {};
    const late = new Promise<void>((_, reject) => {
      rejectLate = reject;
    });
    await expect(run.settle(late)).rejects.toMatchObject({ errorClass: 'timeout' });
    rejectLate(new Error('cancelled'));
    run.finish();
  });

  it('builds the outcome with total time and classified failures', () => {
    const run = new ProbeRun(1000, { allowPrivateTargets: true });
    run.stage = 'connect';
    const outcome = run.outcome(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }));
    expect(outcome).toMatchObject({ ok: false, error: { class: 'connect', code: 'ECONNREFUSED' } });
    expect(outcome.phases.total).toBeGreaterThanOrEqual(0);
    run.finish();
  });
});
