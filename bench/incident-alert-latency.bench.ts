import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../tests/support/runtime.js';
import { accountWithMonitor, benchRuntime, outbox } from './incident-support.js';
import { fixed, percentile, printTable } from './probe-support.js';

// Time from the first failing probe to the first alert, against the configured alert delay
// (issue 6, item 9; target: delay + at most one minute). The whole app runs on the local
// runtime: three simulated regions probe loopback targets every minute, the verdict step
// hands verdicts to the incident orchestrations, alerts go to the outbox. Each target
// remembers when it first answered 503; the alert's outbox time is the other end.
// Results are in scheduling minutes, so a short SM_MINUTE_SECONDS measures the same thing.
//
//   npm run bench -- incident-alert-latency        (MINUTE_SECONDS=1 ROUNDS=3 DELAYS=0,1,2,3,5)

const MINUTE_SECONDS = Number(process.env['MINUTE_SECONDS'] ?? 1);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const DELAYS = (process.env['DELAYS'] ?? '0,1,2,3,5').split(',').map(Number);

interface Target {
  readonly delay: number;
  readonly server: Server;
  readonly url: string;
  healthy: boolean;
  firstFailAt: number | undefined;
}

async function target(delay: number): Promise<Target> {
  const t: Partial<Target> & { healthy: boolean; firstFailAt: number | undefined } = { delay, healthy: true, firstFailAt: undefined };
  const server = createServer((_req, res) => {
    if (!t.healthy) t.firstFailAt ??= Date.now();
    res.writeHead(t.healthy ? 200 : 503).end(t.healthy ? 'ok' : 'down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(t, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }) as Target;
}

const dataDir = mkdtempSync(join(tmpdir(), 'sm-bench-incident-'));
const runtime = await benchRuntime({ SM_MINUTE_SECONDS: String(MINUTE_SECONDS), SM_REGIONS: 'eu,us,asia' }, dataDir);
const minuteMs = runtime.primary.minuteMs;
const targets = await Promise.all(DELAYS.map(target));
try {
  const monitors = await Promise.all(targets.map((t) => accountWithMonitor(runtime, { target: t.url, alertDelayMinutes: t.delay, repeatMinutes: 60 })));
  const latencies = new Map<number, number[]>(DELAYS.map((d) => [d, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const t of targets) {
      t.firstFailAt = undefined;
      t.healthy = false;
    }
    await Promise.all(
      targets.map(async (t, i) => {
        const { email } = monitors[i]!;
        const alert = await waitFor(async () => (await outbox(runtime)).filter((m) => m.to === email && m.subject?.startsWith('DOWN'))[round - 1], (t.delay + 4) * minuteMs + 30_000, `alert ${round} for delay ${t.delay}`);
        latencies.get(t.delay)!.push((Date.parse(alert.at) - t.firstFailAt!) / minuteMs);
      }),
    );
    for (const t of targets) t.healthy = true;
    await Promise.all(
      monitors.map(({ email }) =>
        waitFor(async () => (await outbox(runtime)).filter((m) => m.to === email && m.subject?.startsWith('RECOVERED')).length >= round, 10 * minuteMs + 30_000, 'recovery'),
      ),
    );
  }
  console.log(`minute = ${MINUTE_SECONDS} s, ${ROUNDS} outages per delay, 3 regions; latency in scheduling minutes from the first 503 to the first alert`);
  printTable(
    ['delay', 'n', 'min', 'median', 'max', 'max − delay', 'target (≤ delay + 1)'],
    DELAYS.map((d) => {
      const l = latencies.get(d)!;
      const max = Math.max(...l);
      return [String(d), String(l.length), fixed(Math.min(...l), 2), fixed(percentile(l, 50), 2), fixed(max, 2), fixed(max - d, 2), max <= d + 1 ? 'met' : 'MISSED'];
    }),
  );
} finally {
  await runtime.stop();
  for (const t of targets) t.server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
