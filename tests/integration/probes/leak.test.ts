import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Thousands of probes with every kind of ending (pass, refused, TLS failure, timeout, cut
// body, DNS silence) in a child process with --expose-gc, so that nothing else shares its
// handles or heap. Handles must come back to the baseline after every round, and the heap
// after a full GC must stay flat: a probe that kept even 256 bytes would add a megabyte
// over the last two rounds, an order of magnitude above the noise seen (~0.2 MB).

const worker = fileURLToPath(new URL('./leak-worker.ts', import.meta.url));
const PROBES_PER_ROUND = 2000;
const MAX_HEAP_GROWTH_BYTES = 1024 * 1024;

interface LeakReport {
  probes: number;
  baseline: Record<string, number>;
  after: Array<Record<string, number>>;
  heap: number[];
  endings: Array<Record<string, number>>;
}

describe('probe resources', () => {
  it('returns every socket and timer and keeps the heap flat over thousands of probes', { timeout: 180_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', worker, String(PROBES_PER_ROUND)], {
      maxBuffer: 1024 * 1024,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as LeakReport;

    for (const endings of report.endings) {
      expect(Object.keys(endings).sort()).toEqual(['connect', 'ok', 'protocol', 'status', 'timeout', 'tls']);
    }
    for (const after of report.after) expect(after).toEqual(report.baseline);
    expect(report.baseline.Timeout ?? 0).toBe(0);

    const [, afterFirstRound, , afterLastRound] = report.heap;
    expect(afterLastRound! - afterFirstRound!).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  });
});
