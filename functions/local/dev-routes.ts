import { z } from 'zod';
import { ApiError } from '../api/errors.js';
import { handle, json, noContent } from '../api/http.js';
import { outboxMessageSchema } from '../alerts/outbox.js';
import type { HttpFunction } from '../runtime.js';

// Routes that exist only in the local runtime (API.md, "Local runtime only"): the outbox of
// everything the system sent, and region faults for trying out multi-region verdicts.

export type RegionState = 'up' | 'down' | 'isolated';

export class RegionFaults {
  private readonly states = new Map<string, RegionState>();

  constructor(readonly regions: readonly string[]) {
    for (const r of regions) this.states.set(r, 'up');
  }

  state(region: string): RegionState {
    return this.states.get(region) ?? 'up';
  }

  set(region: string, state: RegionState): void {
    if (!this.states.has(region)) throw new ApiError(404, 'not_found', `no region named "${region}"`);
    this.states.set(region, state);
  }
}

export function devRoutes(faults: RegionFaults): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'dev-outbox',
      route: 'dev/outbox',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handle(async (_request, context) => json(200, await context.services.outbox.list())),
      doc: {
        GET: {
          summary: 'Every message the system sent, oldest first (local runtime only)',
          tags: ['dev'],
          auth: 'none',
          responses: { 200: { description: 'The outbox', schema: z.array(outboxMessageSchema) } },
        },
      },
    },
    {
      kind: 'http',
      name: 'dev-region-state',
      route: 'dev/regions/{name}/{state}',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: handle(async (request) => {
        const state = z.enum(['up', 'down', 'isolated']).safeParse(request.params['state']);
        if (!state.success) throw new ApiError(404, 'not_found', 'the state is one of up, down, isolated');
        faults.set(request.params['name'] ?? '', state.data);
        return noContent();
      }),
      doc: {
        POST: {
          summary: 'Take a simulated region down, isolate its network, or bring it back (local runtime only)',
          tags: ['dev'],
          auth: 'none',
          responses: { 204: { description: 'Done' }, 404: { description: 'No such region or state' } },
        },
      },
    },
  ];
}
