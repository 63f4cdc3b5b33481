import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsApi } from '../../../functions/api/accounts-api.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';

// GET /api/openapi.json describes every account, key, channel, monitor and receiver route
// from the same zod schemas the handlers validate with.

describe('OpenAPI description of the account routes', () => {
  let t: TestRuntime;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading an arbitrary JSON document
  let doc: any;

  beforeAll(async () => {
    t = await startTestRuntime();
    const res = await t.api('openapi.json');
    expect(res.status).toBe(200);
    doc = res.json;
  });
  afterAll(() => t?.stop());

  it('has every route and method, each with a summary, a success answer and the error answers', () => {
    for (const fn of accountsApi()) {
      const path = `/api/${fn.route}`;
      expect(doc.paths[path], path).toBeDefined();
      for (const method of fn.methods) {
        const op = doc.paths[path][method.toLowerCase()];
        expect(op, `${method} ${path}`).toBeDefined();
        expect(op.summary).toBeTruthy();
        const statuses = Object.keys(op.responses).map(Number);
        expect(statuses.some((s) => s >= 200 && s < 300), `${method} ${path}`).toBe(true);
        if (fn.doc[method]?.auth === 'key') {
          expect(op.security).toEqual([{ apiKey: [] }]);
          expect(statuses).toEqual(expect.arrayContaining([401, 403]));
        }
        if (['POST', 'PUT', 'PATCH'].includes(method) && fn.name !== 'confirm') {
          expect(op.requestBody?.content['application/json'].schema, `${method} ${path} body`).toBeDefined();
          expect(statuses).toContain(400);
        }
      }
    }
  });

  it('names the shared schemas, with the fields of API.md', () => {
    const schemas = doc.components.schemas;
    for (const name of ['Monitor', 'MonitorCreateInput', 'MonitorPatchInput', 'Channel', 'ChannelCreateInput', 'ApiKeyCreated', 'SignupInput', 'SignupResult', 'ConfirmationResult', 'Receiver', 'Receiving', 'ReceiverAnswerInput', 'Error']) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(Object.keys(schemas.Monitor.properties)).toEqual(
      expect.arrayContaining(['id', 'name', 'type', 'target', 'intervalMinutes', 'timeoutSeconds', 'expect', 'alertDelayMinutes', 'escalation', 'repeatMinutes', 'recoveryPasses', 'public', 'regions', 'paused', 'createdAt', 'updatedAt', 'state']),
    );
    expect(schemas.Monitor.properties.state.enum).toEqual(['unknown', 'up', 'down', 'suppressed']);
    expect(schemas.MonitorCreateInput.required).toEqual(['name', 'type', 'target', 'intervalMinutes']);
    expect(schemas.MonitorCreateInput.additionalProperties).toBe(false);
    expect(schemas.MonitorCreateInput.properties.intervalMinutes.enum).toEqual([1, 2, 5, 10, 20]);
    expect(schemas.ChannelCreateInput.properties.kind.enum).toEqual(['email', 'sms', 'webhook']);
    expect(doc.paths['/api/monitors'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Monitor' });
  });
});
