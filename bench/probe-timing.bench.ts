import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { probe } from '../functions/probes/index.js';
import type { ProbeOutcome } from '../functions/probes/spec.js';
import { CURL, curlFreshConnectionArgs, fixed, median, percentile, printTable, startTarget, type Target } from './probe-support.js';

// Timing accuracy: a loopback server (its own process) answers after 0, 50 and 200 ms;
// our probe and curl take turns on the same URL, each on a fresh connection, and we
// compare the phases they measure. First byte is the time from sending the request to the
// first byte of the answer: ours is phases.firstByte, curl's is time_starttransfer −
// time_pretransfer. Target: our first byte within 1 ms of curl's.

const DELAYS_MS = [0, 50, 200];
const WARMUP = 5;
const PAIRS = 25;
const TARGET_MS = 1;

interface Phases {
  connect: number;
  tls: number | null;
  firstByte: number;
}

const run = promisify(execFile);

async function curl(url: string, caFile: string): Promise<Phases> {
  const format = '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer} %{time_starttransfer}';
  const { stdout } = await run(CURL, [...curlFreshConnectionArgs(caFile), '--write-out', format, url]);
  const [lookup, connect, appconnect, pretransfer, starttransfer] = stdout.trim().split(' ').map((s) => Number(s) * 1000) as [number, number, number, number, number];
  return { connect: connect - lookup, tls: appconnect > 0 ? appconnect - connect : null, firstByte: starttransfer - pretransfer };
}

async function ours(url: string, target: Target): Promise<Phases> {
  const outcome: ProbeOutcome = await probe({ type: url.startsWith('https') ? 'https' : 'http', target: url, timeoutMs: 10_000 }, { allowPrivateTargets: true, ca: [target.ca] });
  if (!outcome.ok) throw new Error(`probe of ${url} failed: ${outcome.error?.message}`);
  return { connect: outcome.phases.connect!, tls: outcome.phases.tls, firstByte: outcome.phases.firstByte! };
}

const target = await startTarget();
const rows: string[][] = [];
let worst = 0;
try {
  for (const base of [target.http, target.https]) {
    for (const delay of DELAYS_MS) {
      const url = `${base}/delay/${delay}`;
      const pairs: Array<{ ours: Phases; curl: Phases }> = [];
      for (let i = 0; i < WARMUP + PAIRS; i++) {
        // Alternate who goes first so neither always meets a warmer server.
        const first = i % 2 === 0 ? await ours(url, target) : await curl(url, target.caFile);
        const second = i % 2 === 0 ? await curl(url, target.caFile) : await ours(url, target);
        if (i >= WARMUP) pairs.push(i % 2 === 0 ? { ours: first, curl: second } : { ours: second, curl: first });
      }
      const differences = pairs.map((p) => p.ours.firstByte - p.curl.firstByte);
      const medianDifference = median(differences);
      worst = Math.max(worst, Math.abs(medianDifference));
      const tls = pairs[0]!.ours.tls !== null;
      rows.push([
        `${base.startsWith('https') ? 'https' : 'http'} +${delay} ms`,
        fixed(median(pairs.map((p) => p.ours.firstByte))),
        fixed(median(pairs.map((p) => p.curl.firstByte))),
        fixed(medianDifference),
        fixed(percentile(differences.map(Math.abs), 90)),
        fixed(median(pairs.map((p) => p.ours.firstByte - delay))),
        `${fixed(median(pairs.map((p) => p.ours.connect)))} / ${fixed(median(pairs.map((p) => p.curl.connect)))}`,
        tls ? `${fixed(median(pairs.map((p) => p.ours.tls!)))} / ${fixed(median(pairs.map((p) => p.curl.tls!)))}` : '—',
      ]);
    }
  }
} finally {
  await target.stop();
}

console.log(`probe timing vs curl: ${PAIRS} pairs per row after ${WARMUP} warm-up pairs, loopback target in its own process; ms, medians; load average ${loadavg()[0]!.toFixed(2)}`);
printTable(['target', 'ours 1st byte', 'curl 1st byte', 'ours−curl', '|ours−curl| p90', 'ours−delay', 'connect ours/curl', 'tls ours/curl'], rows);
console.log(`\nlargest median first-byte difference: ${fixed(worst)} ms (target ≤ ${TARGET_MS} ms): ${worst <= TARGET_MS ? 'met' : 'NOT met'}`);
