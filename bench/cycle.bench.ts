import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { minuteOf, minuteStart } from '../functions/clock.js';
import { loadConfig } from '../functions/config.js';
import { cycleDeadline, runCycle } from '../functions/cycle/cycle.js';
import { decideMinute } from '../functions/cycle/verdict-step.js';
import { startAzurite } from '../functions/local/azurite.js';
import { configFromCreate, type Monitor } from '../functions/monitors/model.js';
import { noDurableClient, type FunctionContext } from '../functions/runtime.js';
import { createServices } from '../functions/services.js';
import { CycleStore } from '../functions/storage/cycles.js';
import { MonitorStore } from '../functions/storage/monitors.js';
import { TABLES } from '../functions/storage/names.js';
import { fixed, printTable, processCpuSeconds, startTarget } from './probe-support.js';

// One region's probe cycle with 10,000 monitors at a 1-minute interval against a loopback
// HTTP target (its own process) and Azurite (its own process), all on this machine. The
// monitors are seeded through MonitorStore; then the cycle runs once, as its timer would,
// at the start of a real 60-second minute, and the primary's verdict step decides it.
// Reported: whether every probe ran before the deadline (second 45), probes per second,
// table transactions per result, the timer's lag and the event-loop delay (how late a
// timer would fire), peak RSS of the probing process.
// Target: 10,000 monitors per region per minute on 2 cores with RSS ≤ 300 MB.
//
//   npm run bench -- cycle            (MONITORS=2000 for a quicker run)

const MONITORS = Number(process.env['MONITORS'] ?? 10_000);
const SEED_CONCURRENCY = 64;

const dataDir = mkdtempSync(join(tmpdir(), 'sm-bench-cycle-'));
const azurite = await startAzurite({ location: join(dataDir, 'azurite'), inMemory: true });
const target = await startTarget();
try {
  const config = loadConfig(
    {
      AzureWebJobsStorage: azurite.connectionString,
      SM_REGION: 'bench',
      SM_REGIONS: 'bench',
      SM_ALLOW_PRIVATE_TARGETS: 'true',
      // One instance probes everything: this measures what one instance can do.
      SM_CYCLE_BUDGET: String(MONITORS + 1),
      SM_DATA_DIR: dataDir,
    },
    'local',
  );
  const services = createServices(config);
  await services.storage.ensure();

  console.log(`seeding ${MONITORS} monitors…`);
  const seedStarted = Date.now();
  const store = new MonitorStore(services.storage);
  const now = new Date().toISOString();
  let seeded = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (seeded < MONITORS) {
        const i = seeded++;
        // The stored defaults are the API's: what a user creating this monitor would get.
        const monitor: Monitor = {
          ...configFromCreate({ name: `bench ${i}`, type: 'http', target: `${target.http}/?m=${i}`, intervalMinutes: 1 }),
          id: `m${String(i).padStart(20, '0')}`,
          ownerId: 'abench',
          state: 'unknown',
          createdAt: now,
          updatedAt: now,
        };
        await store.create(monitor);
      }
    }),
  );
  console.log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  // Count every storage request from here on, per table.
  const requests = new Map<string, number>();
  const counter = (name: string): PipelinePolicy => ({
    name: `count-${name}`,
    sendRequest: (request, next) => {
      requests.set(name, (requests.get(name) ?? 0) + 1);
      return next(request);
    },
  });
  for (const table of TABLES) services.storage.table(table).pipeline.addPolicy(counter(table));

  const lines: string[] = [];
  const context: FunctionContext = {
    invocationId: randomUUID(),
    functionName: 'probe-cycle',
    region: 'bench',
    config,
    services,
    isolated: false,
    durable: noDurableClient('probe-cycle'),
    log: (m, d) => lines.push(`${m} ${JSON.stringify(d ?? {})}`),
    warn: (m, d) => lines.push(`WARN ${m} ${JSON.stringify(d ?? {})}`),
    error: (m, d) => lines.push(`ERROR ${m} ${JSON.stringify(d ?? {})}`),
  };

  // Start as the timer would: at the top of the next minute.
  const minute = minuteOf(Date.now(), config.minuteMs) + 1;
  const startMs = minuteStart(minute, config.minuteMs);
  global.gc?.();
  await new Promise((r) => setTimeout(r, startMs - Date.now()));
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const cpuBefore = process.cpuUsage();
  const targetCpuBefore = processCpuSeconds(target.pid) ?? 0;
  const azuriteCpuBefore = processCpuSeconds(azurite.pid) ?? 0;
  const started = Date.now();
  await runCycle({ minute, scheduledAt: new Date(startMs), isPastDue: false }, context);
  const finished = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  eld.disable();
  const cycleRequests = [...requests.values()].reduce((a, b) => a + b, 0);
  const cycleByTable = new Map(requests);
  const cyclePeakRss = peakRss;
  requests.clear();
  const verdictStarted = Date.now();
  const decision = await decideMinute(minute, { ...context, functionName: 'cycle-verdict' });
  const verdictMs = Date.now() - verdictStarted;
  clearInterval(sampler);
  const verdictRequests = new Map(requests);

  const health = (await new CycleStore(services.storage).read(minute)).health.get('bench')!;
  const deadline = cycleDeadline(minute, config.minuteMs);
  const probed = health.probed;
  const cycleSeconds = (finished - started) / 1000;
  console.log(lines.filter((l) => l.startsWith('WARN') || l.startsWith('ERROR')).slice(0, 5).join('\n'));
  printTable(
    ['measure', 'value'],
    [
      ['cores', String(cpus().length)],
      ['monitors due / probed / skipped', `${health.due} / ${probed} / ${health.skipped}`],
      ['failed probes', String(decision?.regions[0]?.failures ?? 'n/a')],
      ['cycle duration (s)', fixed(cycleSeconds, 1)],
      ['finished before deadline (s 45)', `${finished <= deadline ? 'yes' : 'NO'} (${fixed((deadline - finished) / 1000, 1)} s to spare)`],
      ['probes per second', fixed(probed / cycleSeconds, 0)],
      ['timer lag (ms)', String(health.lagMs)],
      ['event-loop delay p50 / p99 / max (ms)', `${fixed(eld.percentile(50) / 1e6, 1)} / ${fixed(eld.percentile(99) / 1e6, 1)} / ${fixed(eld.max / 1e6, 1)}`],
      ['RSS before / peak in cycle / peak in verdict (MB)', `${fixed(rssBefore / 2 ** 20, 0)} / ${fixed(cyclePeakRss / 2 ** 20, 0)} / ${fixed(peakRss / 2 ** 20, 0)}`],
      ['cycle CPU (s): prober / target / azurite', `${fixed((cpu.user + cpu.system) / 1e6, 1)} / ${fixed((processCpuSeconds(target.pid) ?? 0) - targetCpuBefore, 1)} / ${fixed((processCpuSeconds(azurite.pid) ?? 0) - azuriteCpuBefore, 1)}`],
      ['table requests in the cycle', `${cycleRequests} (${[...cycleByTable].map(([k, v]) => `${k} ${v}`).join(', ')})`],
      ['table transactions per result (cycle)', fixed(cycleRequests / probed, 4)],
      ['verdict step (ms)', String(verdictMs)],
      ['verdict step requests', [...verdictRequests].map(([k, v]) => `${k} ${v}`).join(', ')],
    ],
  );
  const rssOk = cyclePeakRss <= 300 * 2 ** 20;
  console.log(`\ntarget: ${MONITORS} monitors inside the minute with RSS ≤ 300 MB → ${finished <= deadline && health.skipped === 0 && rssOk ? 'met' : 'NOT met'}`);
} finally {
  await target.stop();
  await azurite.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
