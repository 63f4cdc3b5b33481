import { probe } from '../probes/index.js';
import type { FunctionContext } from '../runtime.js';
import type { CanaryCheck } from '../storage/cycles.js';

// Each cycle a region connects to its canaries (SM_CANARY_TARGETS: the storage endpoint and,
// in Azure, anycast resolvers): targets that are up whenever the region's own network is.
// With a handful of monitors, these are what tell the region's network loss from an outage.

const CANARY_TIMEOUT_MS = 5_000;

export async function checkCanaries(context: FunctionContext, deadlineMs: number): Promise<CanaryCheck[]> {
  const timeoutMs = Math.max(1, Math.min(CANARY_TIMEOUT_MS, deadlineMs - Date.now()));
  return Promise.all(
    context.config.canaryTargets.map(async (target) => {
      // Operator-configured, so private addresses (Azurite on loopback, a private endpoint) are fine.
      const outcome = await probe({ type: 'tcp', target, timeoutMs }, { allowPrivateTargets: true, isolated: context.isolated });
      return { target, ok: outcome.ok, ...(outcome.error?.code ? { code: outcome.error.code } : outcome.error ? { code: outcome.error.class } : {}) };
    }),
  );
}
