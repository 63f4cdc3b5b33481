import { retryDelivery } from './alerts/delivery-retry.js';
import { accountsApi } from './api/accounts-api.js';
import { incidentFunctions } from './api/incidents.js';
import { buildOpenApi } from './api/openapi.js';
import { getHealth, healthDoc } from './api/health.js';
import { handle, json } from './api/http.js';
import { recordHeartbeat } from './cycle/heartbeat.js';
import { runCycle } from './cycle/cycle.js';
import { rollUpResults } from './cycle/rollup.js';
import { probeShard } from './cycle/shards.js';
import { decideVerdicts } from './cycle/verdict-step.js';
import { regionFunctions } from './api/regions.js';
import { resultFunctions } from './api/results.js';
import { incidentActivities } from './incidents/activities.js';
import { INCIDENT_ORCHESTRATION, incidentOrchestrator } from './incidents/orchestrator.js';
import type { FunctionEntry, HttpFunction } from './runtime.js';
import { DELIVERY_RETRY_QUEUE } from './storage/delivery-retries.js';
import { PROBE_SHARD_QUEUE } from './storage/names.js';
import { VERSION } from './version.js';

// Every function of the app, once. azure.ts registers this table with the Functions host;
// the local runtime (local/) serves the same table itself.

const EVERY_MINUTE = '0 * * * * *';

export const catalog: readonly FunctionEntry[] = [
  {
    kind: 'http',
    name: 'health',
    route: 'health',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: getHealth,
    doc: { GET: healthDoc },
  },
  {
    kind: 'http',
    name: 'openapi',
    route: 'openapi.json',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: handle(async (_request, context) => json(200, openApiDocument(context.config.publicBaseUrl))),
    doc: {
      GET: {
        summary: 'This document',
        tags: ['meta'],
        auth: 'none',
        responses: { 200: { description: 'The OpenAPI 3.1 description of every route' } },
      },
    },
  },
  {
    kind: 'timer',
    name: 'region-heartbeat',
    schedule: EVERY_MINUTE,
    handler: recordHeartbeat,
  },
  // The probe cycle, results and verdicts (issue 5).
  { kind: 'timer', name: 'probe-cycle', schedule: EVERY_MINUTE, handler: runCycle },
  // Second 50: after every region's cycle deadline (second 45), see cycle/verdict-step.ts.
  { kind: 'timer', name: 'cycle-verdict', schedule: '50 * * * * *', primaryOnly: true, durableClient: true, handler: decideVerdicts },
  { kind: 'timer', name: 'results-rollup', schedule: '0 5 * * * *', primaryOnly: true, handler: rollUpResults },
  { kind: 'queue', name: 'probe-shard', queueName: PROBE_SHARD_QUEUE, handler: probeShard },
  ...resultFunctions(),
  ...regionFunctions(),
  // Accounts, API keys, channels, monitors, receivers (issue 4).
  ...accountsApi(),
  // Incidents: one orchestration per incident, its activities, and the incident routes (issue 6).
  { kind: 'orchestration', name: INCIDENT_ORCHESTRATION, handler: incidentOrchestrator },
  ...incidentActivities(),
  ...incidentFunctions(),
  {
    kind: 'queue',
    name: 'delivery-retry',
    queueName: DELIVERY_RETRY_QUEUE,
    handler: retryDelivery,
  },
];

export function httpFunctions(entries: readonly FunctionEntry[]): HttpFunction[] {
  return entries.filter((e): e is HttpFunction => e.kind === 'http');
}

let openApiCache: { baseUrl: string; doc: unknown } | undefined;

function openApiDocument(baseUrl: string): unknown {
  if (openApiCache?.baseUrl !== baseUrl) {
    openApiCache = { baseUrl, doc: buildOpenApi(httpFunctions(catalog), { version: VERSION, serverUrl: baseUrl }) };
  }
  return openApiCache.doc;
}
