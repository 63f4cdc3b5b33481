import { z } from 'zod';
import { invalid } from '../accounts/errors.js';
import { endIncidentQuietly } from '../incidents/handoff.js';
import { ownedMonitor } from '../monitors/access.js';
import { createMonitorSchema, monitorSchema, patchMonitorSchema } from '../monitors/model.js';
import { createMonitor, deleteMonitor, getMonitor, listMonitors, updateMonitor } from '../monitors/service.js';
import type { HttpFunction } from '../runtime.js';
import { handleCaller, pathId, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, noContent, readJson } from './http.js';

// Monitors (API.md): create, list, read, change and delete. Only the owner changes one.

export const MONITOR_ID = /^m[a-z0-9]{20}$/;

/** Idempotency-Key: a retried create returns the monitor the first try made. */
function idempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(header)) throw invalid('validation', 'Idempotency-Key must be 1–200 visible ASCII characters', 'Idempotency-Key');
  return header;
}

export function monitorFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'monitors',
      route: 'monitors',
      methods: ['GET', 'POST'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        if (request.method === 'GET') {
          return json(200, await listMonitors(ctx, caller.accountId));
        }
        const key = idempotencyKey(request.headers.get('idempotency-key'));
        const input = await readJson(request, createMonitorSchema);
        const { monitor, created } = await createMonitor(ctx, caller.accountId, input, key);
        return json(created ? 201 : 200, monitor);
      }),
      doc: {
        GET: {
          summary: "The caller's monitors and those it receives alerts for",
          tags: ['monitors'],
          auth: 'key',
          responses: { 200: { description: 'Monitors, oldest first', schema: z.array(monitorSchema) } },
        },
        POST: {
          summary: 'Register a monitor (optional Idempotency-Key header makes retries safe)',
          tags: ['monitors'],
          auth: 'key',
          body: createMonitorSchema,
          responses: {
            201: { description: 'Registered', schema: monitorSchema },
            200: { description: 'A repeated request with the same Idempotency-Key: the monitor it made', schema: monitorSchema },
          },
        },
      },
    },
    {
      kind: 'http',
      name: 'monitor',
      route: 'monitors/{id}',
      methods: ['GET', 'PATCH', 'DELETE'],
      authLevel: 'anonymous',
      // Pausing or deleting a monitor ends its incident orchestration.
      durableClient: true,
      handler: handleCaller(options, async (request, caller, ctx, context) => {
        if (request.method === 'GET') {
          return json(200, await getMonitor(ctx, caller.accountId, pathId(request, 'id', MONITOR_ID, 'monitor')));
        }
        const id = pathId(request, 'id', MONITOR_ID, 'monitor');
        if (request.method === 'DELETE') {
          await deleteMonitor(ctx, caller.accountId, id);
          await endIncidentQuietly(context, id, 'deleted');
          return noContent();
        }
        // Who may change it is decided before the body is read: others learn nothing from a 400.
        await ownedMonitor(ctx.storage, id, caller.accountId);
        const patch = await readJson(request, patchMonitorSchema);
        const updated = await updateMonitor(ctx, caller.accountId, id, patch);
        // Pausing ends an open incident quietly (issue 6); no one is told it recovered.
        if (patch.paused === true) await endIncidentQuietly(context, id, 'paused');
        return json(200, updated);
      }),
      doc: {
        GET: {
          summary: 'One monitor (owner, receivers, or anyone for a public one)',
          tags: ['monitors'],
          auth: 'key',
          responses: { 200: { description: 'The monitor', schema: monitorSchema }, 404: { description: 'No such monitor visible to the caller', schema: errorBodySchema } },
        },
        PATCH: {
          summary: 'Change a monitor (owner only); absent fields keep their values, null resets to the default',
          tags: ['monitors'],
          auth: 'key',
          body: patchMonitorSchema,
          responses: {
            200: { description: 'The changed monitor', schema: monitorSchema },
            404: { description: 'No such monitor visible to the caller', schema: errorBodySchema },
          },
        },
        DELETE: {
          summary: 'Delete a monitor (owner only); its receivers stop getting alerts',
          tags: ['monitors'],
          auth: 'key',
          responses: { 204: { description: 'Deleted' }, 404: { description: 'No such monitor visible to the caller', schema: errorBodySchema } },
        },
      },
    },
  ];
}
