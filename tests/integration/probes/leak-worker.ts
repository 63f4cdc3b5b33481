import { probe } from '../../../functions/probes/index.js';
import type { ProbeOptions, ProbeRequest } from '../../../functions/probes/spec.js';
import { startFtpServer } from '../../support/servers/banners.js';
import { testCertificates } from '../../support/servers/certificates.js';
import { startDnsServer } from '../../support/servers/dns.js';
import { startHttpServer } from '../../support/servers/http.js';
import { refusingPort } from '../../support/servers/unreachable.js';

// Run by leak.test.ts in its own process (node --expose-gc): thousands of probes of every
// kind of ending, then a report on whether handles and heap came back to where they were.
// Prints one JSON line.

const ROUND = Number(process.argv[2] ?? 1000);
const ROUNDS = 3;
const CONCURRENCY = 50;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const certificates = await testCertificates();
const [http, https, expired, ftp, refusing, dns] = await Promise.all([
  startHttpServer(),
  startHttpServer({ tls: certificates.valid }),
  startHttpServer({ tls: certificates.expired }),
  startFtpServer(),
  refusingPort(),
  startDnsServer({ 'web.test': { A: ['127.0.0.1'] }, 'silent.test': 'drop' }),
]);
const options: ProbeOptions = { allowPrivateTargets: true, ca: [certificates.ca], dnsServers: [dns.server] };

/** One of each ending: passes, refusals, TLS failures, timeouts, cut bodies, DNS answers and silences. */
const mix: ProbeRequest[] = [
  { type: 'http', target: `${http.url}/`, timeoutMs: 5000, expect: { keyword: 'ok' } },
  { type: 'http', target: `http://web.test:${http.port}/status/503`, timeoutMs: 5000 },
  { type: 'https', target: `https://localhost:${https.port}/`, timeoutMs: 5000 },
  { type: 'https', target: `https://localhost:${expired.port}/`, timeoutMs: 5000 },
  { type: 'http', target: `http://127.0.0.1:${refusing.port}/`, timeoutMs: 5000 },
  { type: 'http', target: `${http.url}/hang`, timeoutMs: 50 },
  { type: 'http', target: `${http.url}/truncated`, timeoutMs: 5000 },
  { type: 'http', target: `${http.url}/redirect?to=/`, timeoutMs: 5000 },
  { type: 'ftp', target: `127.0.0.1:${ftp.port}`, timeoutMs: 5000 },
  { type: 'dns', target: 'web.test', timeoutMs: 5000, expect: { server: dns.server } },
  { type: 'dns', target: 'silent.test', timeoutMs: 50, expect: { server: dns.server } },
];

async function round(count: number): Promise<Record<string, number>> {
  const endings: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const outcome = await probe(mix[next++ % mix.length]!, options);
      const ending = outcome.ok ? 'ok' : outcome.error!.class;
      endings[ending] = (endings[ending] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return endings;
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const same = (a: Record<string, number>, b: Record<string, number>): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Sockets close a moment after the probe (the servers see the FIN): wait until handles settle back. */
async function settleTo(baseline: Record<string, number>): Promise<Record<string, number>> {
  const deadline = Date.now() + 10_000;
  let now = resources();
  while (!same(now, baseline) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = resources();
  }
  return now;
}

function heapAfterGc(): number {
  // The test servers keep a history of what they saw; that is not the probes' memory.
  for (const history of [http.requests, https.requests, expired.requests, ftp.lines, dns.queries]) history.length = 0;
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// Warm up (JIT, TLS contexts, lazy modules), then take the baseline once the last
// connections have closed (no handle count changes over a few turns of the loop).
await round(ROUND / 2);
let baseline = resources();
for (let steady = 0; steady < 5; ) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const now = resources();
  steady = same(now, baseline) ? steady + 1 : 0;
  baseline = now;
}
const heap = [heapAfterGc()];
const endings: Array<Record<string, number>> = [];
const after: Array<Record<string, number>> = [];
for (let i = 0; i < ROUNDS; i++) {
  endings.push(await round(ROUND));
  after.push(await settleTo(baseline));
  heap.push(heapAfterGc());
}
await Promise.all([http, https, expired, ftp, refusing, dns].map((server) => server.close()));
console.log(JSON.stringify({ probes: ROUND * ROUNDS, baseline, after, heap, endings }));
