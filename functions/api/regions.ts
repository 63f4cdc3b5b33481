import { z } from 'zod';
import type { HttpFunction } from '../runtime.js';
import { CycleStore } from '../storage/cycles.js';
import { handle, json } from './http.js';

// GET /api/regions (API.md): each region's latest probe cycle, as the primary judged it.
// Public like /api/health: it says how the service is doing, nothing about anyone's monitors.

export const regionSchema = z
  .object({
    name: z.string(),
    lastCycleAt: z.string().nullable().describe('Start of the minute of the latest cycle; null before the first'),
    probes: z.number().int(),
    failures: z.number().int(),
    errorRate: z.number().describe('Share of checks (probes and canaries) that failed for reasons that say nothing about the target'),
    trusted: z.boolean().describe('Whether the verdict step trusted the region in that cycle'),
    localFaults: z.number().int(),
    canaryFailures: z.number().int(),
    lagMs: z.number().describe('How late the cycle started after its minute began'),
    durationMs: z.number(),
  })
  .meta({ id: 'Region' });

export function regionFunctions(): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'regions',
      route: 'regions',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handle(async (_request, context) => {
        const latest = new Map((await new CycleStore(context.services.storage).latest()).map((r) => [r.region, r]));
        return json(
          200,
          context.config.regions.map((name) => {
            const r = latest.get(name);
            return {
              name,
              lastCycleAt: r?.lastCycleAt ?? null,
              probes: r?.probes ?? 0,
              failures: r?.failures ?? 0,
              errorRate: r?.errorRate ?? 0,
              trusted: r?.trusted ?? false,
              localFaults: r?.localFaults ?? 0,
              canaryFailures: r?.canaryFailures ?? 0,
              lagMs: r?.lagMs ?? 0,
              durationMs: r?.durationMs ?? 0,
            };
          }),
        );
      }),
      doc: {
        GET: {
          summary: "Every region's latest probe cycle: probes, failures, error rate, trust",
          tags: ['regions'],
          auth: 'none',
          responses: { 200: { description: 'One entry per region of the deployment', schema: z.array(regionSchema) } },
        },
      },
    },
  ];
}
