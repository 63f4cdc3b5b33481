import type { FunctionContext } from '../runtime.js';
import { incidentIdOf } from '../storage/incidents.js';
import { MonitorStore } from '../storage/monitors.js';
import { RecheckStore } from '../storage/rechecks.js';
import type { Storage } from '../storage/storage.js';
import type { MonitorState } from '../monitors/model.js';
import { summarize } from './messages.js';
import { INCIDENT_EVENT, INCIDENT_ORCHESTRATION, incidentInstanceId, type IncidentInput, type IncidentNews } from './orchestrator.js';
import type { Verdict } from './verdict.js';

// Where the verdict step hands each cycle's verdicts (DESIGN.md, data flow 3 → 4). It
// records the monitor's state, starts `incident-<monitorId>` on a failing verdict with no
// open incident, and raises later verdicts to it. The recheck flags double as the index of
// open incidents: a monitor is flagged from its first failing verdict until its incident
// ends, so passing monitors (nearly all of them) cost nothing here but one query per cycle.
// The caller's catalog entry must declare `durableClient: true`.

const STATE: Record<Verdict['outcome'], MonitorState> = { pass: 'up', fail: 'down', suppressed: 'suppressed' };
/** State writes in flight at once: 10,000 concurrent updates cost seconds and hundreds of MB. */
const STATE_WRITES = 32;

/**
 * The state this process last wrote per monitor, per storage account. Nearly every monitor
 * keeps its state from one minute to the next, so only changes are written; a restarted or
 * new primary instance starts empty and writes each state once (the write is idempotent).
 */
const written = new WeakMap<Storage, Map<string, MonitorState>>();

export async function handOffVerdicts(verdicts: readonly Verdict[], context: FunctionContext): Promise<void> {
  const rechecks = new RecheckStore(context.services.storage);
  const [open] = await Promise.all([rechecks.list(), recordStates(verdicts, context.services.storage)]);
  await Promise.all(
    verdicts.map((verdict) =>
      handOff(verdict, open.has(verdict.monitorId), context, rechecks).catch((err: unknown) =>
        context.warn('incident hand-off failed; the next cycle tries again', { monitorId: verdict.monitorId, error: String(err) }),
      ),
    ),
  );
}

async function recordStates(verdicts: readonly Verdict[], storage: Storage): Promise<void> {
  const monitors = new MonitorStore(storage);
  let known = written.get(storage);
  if (!known) written.set(storage, (known = new Map()));
  const changed = verdicts.filter((v) => known.get(v.monitorId) !== STATE[v.outcome]);
  let next = 0;
  const worker = async () => {
    while (next < changed.length) {
      const v = changed[next++]!;
      // A write that failed is tried again next minute; it must not hold up the incidents.
      const stored = await monitors.setState(v.monitorId, STATE[v.outcome], v.at).catch(() => false);
      if (stored) known.set(v.monitorId, STATE[v.outcome]);
      else known.delete(v.monitorId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(STATE_WRITES, changed.length) }, worker));
}

async function handOff(verdict: Verdict, flagged: boolean, context: FunctionContext, rechecks: RecheckStore): Promise<void> {
  const instanceId = incidentInstanceId(verdict.monitorId);
  const news: IncidentNews = {
    type: 'verdict',
    minute: verdict.minute,
    at: verdict.at,
    outcome: verdict.outcome,
    ...(verdict.outcome === 'fail' ? { failure: summarize(verdict) } : {}),
  };
  if (flagged) {
    if (await raise(context, instanceId, news)) return;
    // Flagged, but no incident runs: a flag left behind, or an incident that just ended.
    if (verdict.outcome !== 'fail') {
      await rechecks.unflag(verdict.monitorId);
      return;
    }
  } else if (verdict.outcome !== 'fail') return;

  // Flag first: the next cycle rechecks from every region even if the start below is slow.
  await rechecks.flag(verdict.monitorId, verdict.at);
  const input: IncidentInput = {
    kind: 'open',
    minuteMs: context.config.minuteMs,
    monitorId: verdict.monitorId,
    incidentId: incidentIdOf(verdict.monitorId, verdict.minute),
    minute: verdict.minute,
    at: verdict.at,
    ...(news.type === 'verdict' && news.failure ? { failure: news.failure } : {}),
  };
  const started = await context.durable.startNew(INCIDENT_ORCHESTRATION, { instanceId, input });
  // Already running (a second start, or a flag lost): the running incident gets the news.
  if (started === 'exists') await raise(context, instanceId, news);
}

/** False when no instance runs to take it. */
async function raise(context: FunctionContext, instanceId: string, news: IncidentNews): Promise<boolean> {
  try {
    await context.durable.raiseEvent(instanceId, INCIDENT_EVENT, news);
    return true;
  } catch {
    return false;
  }
}

/**
 * A paused or deleted monitor ends its incident quietly (no recovery notice). Called by the
 * monitor routes after the change is stored; their catalog entries declare `durableClient`.
 */
export async function endIncidentQuietly(context: FunctionContext, monitorId: string, change: 'paused' | 'deleted'): Promise<void> {
  const news: IncidentNews = { type: 'monitor', change };
  try {
    await raise(context, incidentInstanceId(monitorId), news);
    // A flag with no incident behind it would keep the monitor rechecked every minute.
    const status = await context.durable.getStatus(incidentInstanceId(monitorId));
    if (!status || !['Pending', 'Running', 'ContinuedAsNew'].includes(status.runtimeStatus)) await new RecheckStore(context.services.storage).unflag(monitorId);
  } catch (err) {
    context.warn('could not end the incident of a paused or deleted monitor; it ends at its next deadline', { monitorId, error: String(err) });
  }
}
