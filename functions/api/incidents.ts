import { z } from 'zod';
import { addNote, getIncident, incidentListQuerySchema, incidentSchema, listIncidents, noteInputSchema, noteSchema } from '../incidents/service.js';
import type { HttpFunction } from '../runtime.js';
import { INCIDENT_ID } from '../storage/incidents.js';
import { handleCaller, pathId, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, readJson, readQuery } from './http.js';
import { MONITOR_ID } from './monitors.js';

// Incidents (API.md): one incident with its timeline, alerts and notes; a monitor's
// incidents newest first; notes from the owner and receivers.

const notFound = { description: 'No such incident visible to the caller', schema: errorBodySchema };

export function incidentFunctions(options: AccountsApiOptions = {}): HttpFunction[] {
  return [
    {
      kind: 'http',
      // Not "incident": that is the orchestration's name, and function names are one namespace.
      name: 'incident-view',
      route: 'incidents/{id}',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        return json(200, await getIncident(ctx.storage, caller.accountId, pathId(request, 'id', INCIDENT_ID, 'incident')));
      }),
      doc: {
        GET: {
          summary: 'One incident: timeline, alerts sent, notes (owner and receivers of the monitor)',
          tags: ['incidents'],
          auth: 'key',
          responses: { 200: { description: 'The incident', schema: incidentSchema }, 404: notFound },
        },
      },
    },
    {
      kind: 'http',
      name: 'monitor-incidents',
      route: 'monitors/{id}/incidents',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        const { limit } = readQuery(request, incidentListQuerySchema);
        return json(200, await listIncidents(ctx.storage, caller.accountId, pathId(request, 'id', MONITOR_ID, 'monitor'), limit));
      }),
      doc: {
        GET: {
          summary: "A monitor's incidents, newest first (owner and receivers; `limit` 1–100, default 20)",
          tags: ['incidents'],
          auth: 'key',
          query: incidentListQuerySchema,
          responses: {
            200: { description: 'Incidents, newest first', schema: z.array(incidentSchema) },
            404: { description: 'No such monitor visible to the caller', schema: errorBodySchema },
          },
        },
      },
    },
    {
      kind: 'http',
      name: 'incident-notes',
      route: 'incidents/{id}/notes',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        const id = pathId(request, 'id', INCIDENT_ID, 'incident');
        const { text } = await readJson(request, noteInputSchema);
        return json(201, await addNote(ctx.storage, caller.accountId, id, text, new Date(ctx.now()).toISOString()));
      }),
      doc: {
        POST: {
          summary: 'Add a note to an incident (owner and receivers of the monitor)',
          tags: ['incidents'],
          auth: 'key',
          body: noteInputSchema,
          responses: { 201: { description: 'The note', schema: noteSchema }, 404: notFound },
        },
      },
    },
  ];
}
