import type { FunctionContext } from '../runtime.js';
import { MonitorStore } from '../storage/monitors.js';
import type { MonitorState } from '../monitors/model.js';
import type { Verdict } from './verdict.js';

// Where the verdict step hands each cycle's verdicts (DESIGN.md, data flow 3 → 4).
// It records the monitor's state; the incidents issue adds the orchestrations here
// (start `incident-<monitorId>` on a failing verdict, raise later verdicts to it).

const STATE: Record<Verdict['outcome'], MonitorState> = { pass: 'up', fail: 'down', suppressed: 'suppressed' };

export async function handOffVerdicts(verdicts: readonly Verdict[], context: FunctionContext): Promise<void> {
  const monitors = new MonitorStore(context.services.storage);
  await Promise.all(verdicts.map((v) => monitors.setState(v.monitorId, STATE[v.outcome], v.at)));
}
