import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../functions/catalog.js';
import { minuteOf, minuteStart } from '../functions/clock.js';
import { INCIDENT_EVENT, INCIDENT_ORCHESTRATION, incidentInstanceId, incidentOrchestrator, type IncidentInput, type IncidentNews } from '../functions/incidents/orchestrator.js';
import { fromJson } from '../functions/local/durable/history.js';
import { replay } from '../functions/local/durable/replay.js';
import { LocalDurableStore } from '../functions/storage/local-durable.js';
import { waitFor } from '../tests/support/runtime.js';
import { accountWithMonitor, benchRuntime } from './incident-support.js';
import { fixed, printTable } from './probe-support.js';

// Orchestrator replay cost for a long incident (issue 6, item 9). Durable replays an
// orchestration's whole history for every message it gets, so without continueAsNew a
// long incident costs more per event the longer it lasts. This runs one incident of
// MINUTES scheduling minutes (a failing verdict every minute, four alerts per destination)
// on the local Durable engine, once per turns-per-execution setting, and reads the
// engine's counters: replays, history events replayed, and the longest history kept.
// No probe cycle runs: verdicts are raised to the orchestration as the hand-off does.
//
//   npm run bench -- incident-replay        (MINUTES=1440 MINUTE_SECONDS=0.05 TURNS=40,1000000)

const MINUTES = Number(process.env['MINUTES'] ?? 1440);
const MINUTE_SECONDS = Number(process.env['MINUTE_SECONDS'] ?? 0.05);
const TURNS = (process.env['TURNS'] ?? '40,1000000').split(',').map(Number);

const withoutTimers = catalog.filter((e) => e.kind !== 'timer');
const rows: string[][] = [];
for (const turns of TURNS) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sm-bench-replay-'));
  const runtime = await benchRuntime({ SM_MINUTE_SECONDS: String(MINUTE_SECONDS), SM_REGIONS: 'eu' }, dataDir, withoutTimers);
  try {
    const minuteMs = runtime.primary.minuteMs;
    const { monitorId } = await accountWithMonitor(runtime, { target: 'http://127.0.0.1:9/', alertDelayMinutes: 2, repeatMinutes: 15 });
    const store = new LocalDurableStore(runtime.services.storage);
    const instanceId = incidentInstanceId(monitorId);
    const opened = minuteOf(Date.now(), minuteMs);
    const input: IncidentInput = { kind: 'open', minuteMs, turnsPerExecution: turns, monitorId, incidentId: `${monitorId}-${opened}`, minute: opened, at: new Date(minuteStart(opened, minuteMs)).toISOString() };
    const before = { ...runtime.durable.stats };
    const cpu = process.cpuUsage();
    const started = Date.now();
    await runtime.durable.startNew(INCIDENT_ORCHESTRATION, { instanceId, input });
    let longest = 0;
    let behind = 0;
    for (let m = opened + 1; m <= opened + MINUTES; m++) {
      const due = minuteStart(m, minuteMs) + 0.83 * minuteMs;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      else behind++;
      const news: IncidentNews = { type: 'verdict', minute: m, at: new Date(minuteStart(m, minuteMs)).toISOString(), outcome: m < opened + MINUTES ? 'fail' : 'pass' };
      await runtime.durable.raiseEvent(instanceId, INCIDENT_EVENT, news).catch(() => undefined);
      const row = (await store.get(instanceId))?.row;
      longest = Math.max(longest, row?.historyLength ?? 0);
    }
    await waitFor(async () => (await runtime.durable.getStatus(instanceId))?.runtimeStatus === 'Completed', 120_000, 'the incident to end');
    await runtime.durable.idle();
    const used = process.cpuUsage(cpu);
    const replays = runtime.durable.stats.replays - before.replays;
    const events = runtime.durable.stats.eventsReplayed - before.eventsReplayed;
    const final = (await store.get(instanceId))!.row;
    const execution = final.execution;
    // The executor alone, on the last execution's history: what one replay of it costs.
    const history = (await store.history(instanceId, execution)).map(fromJson);
    const lastInput = JSON.parse(final.input) as unknown;
    const t0 = process.hrtime.bigint();
    const REPEAT = 20;
    for (let i = 0; i < REPEAT; i++) await replay(INCIDENT_ORCHESTRATION, incidentOrchestrator, instanceId, lastInput, history, () => undefined);
    const replayMs = Number(process.hrtime.bigint() - t0) / 1e6 / REPEAT;
    rows.push([
      turns >= 1_000_000 ? 'never' : String(turns),
      String(execution + 1),
      String(replays),
      String(events),
      fixed(events / replays, 1),
      String(longest),
      fixed((used.user + used.system) / 1000 / replays, 2),
      `${history.length} ev: ${fixed(replayMs, 2)} ms (${fixed((replayMs * 1000) / history.length, 1)} µs/ev)`,
      String(behind),
      fixed((Date.now() - started) / 1000, 1),
    ]);
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(`one incident of ${MINUTES} scheduling minutes (minute = ${MINUTE_SECONDS} s), a failing verdict each minute, then a pass`);
printTable(['continueAsNew every', 'executions', 'replays', 'events replayed', 'events / replay', 'longest history', 'CPU ms / replay (whole process)', 'one replay of the last history', 'minutes late', 'wall s'], rows);
