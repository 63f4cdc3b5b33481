import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Shared by the probe benchmarks: the target server in its own process, curl as the
// yardstick, and a few statistics.

const here = dirname(fileURLToPath(import.meta.url));

export interface Target {
  readonly http: string;
  readonly https: string;
  /** The test CA (PEM) that signed the HTTPS target's certificate. */
  readonly ca: string;
  /** The CA as a file, for curl --cacert. */
  readonly caFile: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'probe-target.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { http, https, ca } = JSON.parse(line) as { http: string; https: string; ca: string };
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    http,
    https,
    ca,
    caFile,
    pid: child.pid!,
    async stop() {
      child.stdin.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return ticks / hz;
  } catch {
    return undefined;
  }
}

export const CURL = '/usr/bin/curl';

/** Options that make curl behave like a probe: a fresh connection and a full TLS handshake every time. */
export function curlFreshConnectionArgs(caFile: string): string[] {
  return ['--silent', '--no-sessionid', '--cacert', caFile, '-H', 'Connection: close', '--output', '/dev/null'];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function fixed(value: number | undefined, digits = 3): string {
  return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

/** Prints rows as an aligned text table. */
export function printTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
