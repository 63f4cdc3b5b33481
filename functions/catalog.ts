import { retryDelivery } from './alerts/delivery-retry.js';
import { accountsApi } from './api/accounts-api.js';
import { buildOpenApi } from './api/openapi.js';
import { getHealth, healthDoc } from './api/health.js';
import { handle, json } from './api/http.js';
import { recordHeartbeat } from './cycle/heartbeat.js';
import type { FunctionEntry, HttpFunction } from './runtime.js';
import { DELIVERY_RETRY_QUEUE } from './storage/delivery-retries.js';
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
  // Accounts, API keys, channels, monitors, receivers (issue 4).
  ...accountsApi(),
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
