import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { handle, json, noContent, readJson } from '../../functions/api/http.js';
import { ApiError } from '../../functions/api/errors.js';
import { catalog } from '../../functions/catalog.js';
import type { FunctionEntry, TimerRun } from '../../functions/runtime.js';
import { RegionStore } from '../../functions/storage/regions.js';
import { encodeQueueMessage } from '../../functions/storage/queue-messages.js';
import { startTestRuntime, waitFor, type TestRuntime } from '../support/runtime.js';

// The local runtime itself: routing, timers per simulated region, queues, health. Test-only
// catalog entries exercise the mechanics; the real catalog runs beside them.

const itemBody = z.strictObject({ name: z.string().min(1) });
const timerRuns: Array<{ region: string; run: TimerRun }> = [];
const primaryRuns: string[] = [];
const queueMessages: unknown[] = [];
let failOnce = true;

const testEntries: FunctionEntry[] = [
  {
    kind: 'http',
    name: 'test-item',
    route: 'test/items/{id}',
    methods: ['GET', 'PUT', 'DELETE'],
    authLevel: 'anonymous',
    handler: handle(async (request) => {
      const id = request.params['id']!;
      if (request.method === 'DELETE') return noContent();
      if (request.method === 'PUT') {
        const body = await readJson(request, itemBody);
        return json(201, { id, name: body.name });
      }
      if (id === 'missing') throw new ApiError(404, 'not_found', 'no such item');
      return json(200, { id, q: request.query.get('q') });
    }),
    doc: {},
  },
  {
    kind: 'http',
    name: 'test-item-literal',
    route: 'test/items/special',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: handle(async () => json(200, { literal: true })),
    doc: {},
  },
  {
    kind: 'http',
    name: 'test-files',
    route: 'test/files/{*path}',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: handle(async (request) => json(200, { path: request.params['path'] })),
    doc: {},
  },
  {
    kind: 'http',
    name: 'test-crash',
    route: 'test/crash',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: handle(async () => {
      throw new Error('boom');
    }),
    doc: {},
  },
  {
    kind: 'timer',
    name: 'test-timer',
    schedule: '0 * * * * *',
    handler: async (run, context) => {
      timerRuns.push({ region: context.region, run });
    },
  },
  {
    kind: 'timer',
    name: 'test-primary-timer',
    schedule: '0 * * * * *',
    primaryOnly: true,
    handler: async (_run, context) => {
      primaryRuns.push(context.region);
    },
  },
  {
    kind: 'queue',
    name: 'test-queue',
    queueName: 'test-work',
    handler: async (message) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('first attempt fails');
      }
      queueMessages.push(message);
    },
  },
];

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime({
    env: { SM_REGIONS: 'eu,us,asia', SM_MINUTE_SECONDS: '0.5' },
    catalog: [...catalog, ...testEntries],
  });
});
afterAll(async () => t?.stop());

describe('HTTP routing', () => {
  it('passes route parameters, query strings and decoded segments', async () => {
    const r = await t.api('test/items/a%20b?q=1');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: 'a b', q: '1' });
  });

  it('prefers a literal route over a parameter', async () => {
    expect((await t.api('test/items/special')).json).toEqual({ literal: true });
  });

  it('matches catch-all routes', async () => {
    expect((await t.api('test/files/a/b/c.txt')).json).toEqual({ path: 'a/b/c.txt' });
  });

  it('passes bodies and returns the handler status', async () => {
    const r = await t.api('test/items/7', { method: 'PUT', body: { name: 'x' } });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ id: '7', name: 'x' });
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers 204 with no body', async () => {
    const r = await t.api('test/items/7', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('rejects bad bodies with the API error shape', async () => {
    const bad = await t.api('test/items/7', { method: 'PUT', rawBody: '{nope', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_json');
    const unknown = await t.api('test/items/7', { method: 'PUT', body: { name: 'x', extra: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'validation' });
    const type = await t.api('test/items/7', { method: 'PUT', rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(type.status).toBe(415);
    const big = await t.api('test/items/7', { method: 'PUT', body: { name: 'x'.repeat(70_000) } });
    expect(big.status).toBe(413);
    const huge = await t.api('test/items/7', { method: 'PUT', rawBody: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
  });

  it('answers 404 for unknown routes and 405 for known routes with the wrong method', async () => {
    const missing = await t.api('nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect((await fetch(`${t.url}/elsewhere`)).status).toBe(404);
    const handled404 = await t.api('test/items/missing');
    expect(handled404.status).toBe(404);
    const wrong = await t.api('test/items/1', { method: 'POST', body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT, DELETE');
  });

  it('turns an unexpected error into a 500 that reveals nothing', async () => {
    const r = await t.api('test/crash', { method: 'POST' });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(t.logs.some((l) => l.includes('boom'))).toBe(true);
  });
});

describe('health and OpenAPI', () => {
  it('reports ok with the primary region and version', async () => {
    const r = await t.api('health');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok', region: 'eu', version: expect.stringMatching(/^\d+\.\d+\.\d+/), storage: 'ok' });
  });

  it('serves an OpenAPI 3.1 document with every HTTP function and resolvable refs', async () => {
    const r = await t.api('openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    for (const fn of catalog) {
      if (fn.kind !== 'http') continue;
      const path = `/api/${fn.route.replace(/\{\*?([A-Za-z_]+)\??\}/g, '{$1}')}`;
      for (const method of Object.keys(fn.doc)) expect(r.json.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
    const refs = JSON.stringify(r.json).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = ref.split('/').pop()!.replace(/"$/, '');
      expect(r.json.components.schemas[name], ref).toBeDefined();
    }
  });
});

describe('timers', () => {
  it('fire on the shortened minute once per simulated region, with consecutive minute indexes', async () => {
    await waitFor(() => ['eu', 'us', 'asia'].every((r) => timerRuns.filter((x) => x.region === r).length >= 3), 20_000, 'three runs per region');
    for (const region of ['eu', 'us', 'asia']) {
      const minutes = timerRuns.filter((x) => x.region === region).map((x) => x.run.minute);
      expect(new Set(minutes).size).toBe(minutes.length);
      for (let i = 1; i < minutes.length; i++) expect(minutes[i]).toBe(minutes[i - 1]! + 1);
      for (const { run } of timerRuns.filter((x) => x.region === region)) {
        expect(run.scheduledAt.getTime()).toBeCloseTo(run.minute * 500, -1);
      }
    }
  });

  it('run primaryOnly timers in the primary region alone', async () => {
    await waitFor(() => primaryRuns.length >= 3, 20_000, 'three primary runs');
    expect(new Set(primaryRuns)).toEqual(new Set(['eu']));
  });

  it('write each region heartbeat through the real catalog timer', async () => {
    const store = new RegionStore(t.runtime.services.storage);
    const beats = await waitFor(async () => {
      const rows = await store.heartbeats();
      return rows.length === 3 ? rows : undefined;
    });
    expect(beats.map((b) => b.region).sort()).toEqual(['asia', 'eu', 'us']);
  });

  it('skip a region taken down and resume when it comes back', async () => {
    expect((await t.api('dev/regions/us/down', { method: 'POST' })).status).toBe(204);
    const before = timerRuns.filter((x) => x.region === 'us').length;
    const euBefore = timerRuns.filter((x) => x.region === 'eu').length;
    await waitFor(() => timerRuns.filter((x) => x.region === 'eu').length >= euBefore + 3);
    // At most one run that had already started when the region went down.
    expect(timerRuns.filter((x) => x.region === 'us').length).toBeLessThanOrEqual(before + 1);
    expect((await t.api('dev/regions/us/up', { method: 'POST' })).status).toBe(204);
    await waitFor(() => timerRuns.filter((x) => x.region === 'us').length >= before + 2);
    expect((await t.api('dev/regions/mars/down', { method: 'POST' })).status).toBe(404);
    expect((await t.api('dev/regions/us/sideways', { method: 'POST' })).status).toBe(404);
  });
});

describe('queues', () => {
  it('deliver JSON messages and retry a failed attempt', async () => {
    await t.runtime.services.storage.queue('test-work').sendMessage(encodeQueueMessage({ shard: 1 }));
    await waitFor(() => queueMessages.length > 0, 20_000, 'queue message');
    expect(queueMessages).toEqual([{ shard: 1 }]);
  });
});

describe('storage down', () => {
  it('health answers 503 with storage "error" when Table Storage stops, ', async () => {
    const other = await startTestRuntime();
    try {
      expect((await other.api('health')).status).toBe(200);
      await other.runtime.azurite!.stop();
      const r = await other.api('health');
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ status: 'error', storage: 'error', region: 'local' });
    } finally {
      await other.stop();
    }
  });
});
