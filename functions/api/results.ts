import { z } from 'zod';
import { visibleMonitor } from '../monitors/access.js';
import type { ProbeResult } from '../cycle/result.js';
import { ERROR_CLASSES, phasesSchema } from '../probes/spec.js';
import type { HttpRequest } from '@azure/functions';
import type { DomainContext } from '../accounts/context.js';
import type { Caller } from '../accounts/keys.js';
import type { HttpFunction } from '../runtime.js';
import { ResultStore, type HourRollup } from '../storage/results.js';
import { handleCaller, pathId } from './domain.js';
import { ApiError, errorBodySchema } from './errors.js';
import { json, readQuery } from './http.js';
import { MONITOR_ID } from './monitors.js';

// GET /api/monitors/<id>/results (API.md): one monitor's raw results over a time range,
// newest first, for its owner, its receivers, and anyone with a key for a public monitor.
// One partition range query (storage/results.ts).

const DEFAULT_SPAN_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LIMIT = 1000;

export const resultsQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional().describe('Oldest scheduled minute to include (ISO-8601); default: 24 hours before `to`'),
    to: z.iso.datetime({ offset: true }).optional().describe('Newest scheduled minute to include (ISO-8601); default: now'),
    region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'not a region name').optional().describe('Only results from this region'),
    limit: z.coerce.number().int().min(1).max(5000).optional().describe(`At most this many results (default ${DEFAULT_LIMIT}), the newest`),
  })
  .meta({ id: 'ResultsQuery' });

export const resultSchema = z
  .object({
    at: z.string().describe('When the probe started'),
    minute: z.string().describe('Start of the scheduled minute of the cycle that ran the probe'),
    region: z.string(),
    ok: z.boolean(),
    error: z.object({ class: z.enum(ERROR_CLASSES), message: z.string(), code: z.string().optional() }).optional(),
    phases: phasesSchema,
    status: z.number().int().optional().describe('HTTP status, or the reply code of a banner protocol'),
    remoteAddress: z.string().optional(),
  })
  .meta({ id: 'Result' });
export type ResultView = z.infer<typeof resultSchema>;

export function resultView(r: ProbeResult): ResultView {
  return {
    at: r.at,
    minute: r.minuteAt,
    region: r.region,
    ok: r.ok,
    ...(r.error ? { error: { class: r.error.class, message: r.error.message, ...(r.error.code ? { code: r.error.code } : {}) } } : {}),
    phases: r.phases,
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.remoteAddress !== undefined ? { remoteAddress: r.remoteAddress } : {}),
  };
}

export const rollupsQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional().describe('Oldest hour to include (ISO-8601); default: 30 days before `to`'),
    to: z.iso.datetime({ offset: true }).optional().describe('Newest hour to include (ISO-8601); default: now'),
  })
  .meta({ id: 'RollupsQuery' });

export const rollupSchema = z
  .object({
    hour: z.string().describe('Start of the hour'),
    count: z.number().int().describe('Results in the hour, all regions'),
    failures: z.number().int(),
    p50: z.number().nullable().describe('Median total time of passing probes, ms; null when none passed'),
    p90: z.number().nullable(),
    p99: z.number().nullable(),
    max: z.number().nullable(),
    regions: z.record(z.string(), z.number().int()).describe('Results per region'),
  })
  .meta({ id: 'HourRollup' });

const ROLLUP_SPAN_MS = 30 * 24 * 60 * 60 * 1000;

function rollupView(r: HourRollup): z.infer<typeof rollupSchema> {
  return { hour: r.hour, count: r.count, failures: r.failures, p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, regions: { ...r.regions } };
}

/** The caller may read the monitor in the path; the time window its query asks for (default: the last `spanMs`). */
async function visibleWindow<Q extends { from?: string | undefined; to?: string | undefined }>(
  request: HttpRequest,
  caller: Caller,
  ctx: DomainContext,
  schema: z.ZodType<Q>,
  spanMs: number,
): Promise<{ id: string; query: Q; fromMs: number; toMs: number }> {
  const id = pathId(request, 'id', MONITOR_ID, 'monitor');
  const query = readQuery(request, schema);
  await visibleMonitor(ctx.storage, id, caller.accountId);
  const toMs = query.to ? Date.parse(query.to) : Date.now();
  const fromMs = query.from ? Date.parse(query.from) : toMs - spanMs;
  if (fromMs > toMs) throw new ApiError(400, 'validation', '`from` is after `to`', 'from');
  return { id, query, fromMs, toMs };
}

export function resultFunctions(): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'monitor-results',
      route: 'monitors/{id}/results',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handleCaller({}, async (request, caller, ctx) => {
        const { id, query, fromMs, toMs } = await visibleWindow(request, caller, ctx, resultsQuerySchema, DEFAULT_SPAN_MS);
        const results = await new ResultStore(ctx.storage).range(id, fromMs, toMs, {
          limit: query.limit ?? DEFAULT_LIMIT,
          ...(query.region ? { region: query.region } : {}),
        });
        return json(200, results.map(resultView));
      }),
      doc: {
        GET: {
          summary: "A monitor's results over a time range, newest first (owner, receivers, anyone for a public monitor)",
          tags: ['results'],
          auth: 'key',
          query: resultsQuerySchema,
          responses: {
            200: { description: 'Results, newest first', schema: z.array(resultSchema) },
            400: { description: 'Invalid query', schema: errorBodySchema },
            404: { description: 'No such monitor visible to the caller', schema: errorBodySchema },
          },
        },
      },
    },
    {
      kind: 'http',
      name: 'monitor-rollups',
      route: 'monitors/{id}/rollups',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handleCaller({}, async (request, caller, ctx) => {
        const { id, fromMs, toMs } = await visibleWindow(request, caller, ctx, rollupsQuerySchema, ROLLUP_SPAN_MS);
        return json(200, (await new ResultStore(ctx.storage).rollups(id, fromMs, toMs)).map(rollupView));
      }),
      doc: {
        GET: {
          summary: "A monitor's hourly rollups (kept 400 days; raw results 7), newest first",
          tags: ['results'],
          auth: 'key',
          query: rollupsQuerySchema,
          responses: {
            200: { description: 'One entry per hour that had results, newest first', schema: z.array(rollupSchema) },
            400: { description: 'Invalid query', schema: errorBodySchema },
            404: { description: 'No such monitor visible to the caller', schema: errorBodySchema },
          },
        },
      },
    },
  ];
}
