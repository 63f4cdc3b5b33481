import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableName } from '../../../functions/storage/names.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, newAccount, outbox } from './support.js';

// Property: whatever arrives at a write route (malformed bodies, odd headers, strange
// paths, wrong keys), the answer is never a 5xx, and a refused request (4xx) changes
// nothing: not a row in any of the tables it could touch, not a message sent.

const TABLES: TableName[] = ['accounts', 'confirmations', 'monitors', 'deliveries'];
const MONITOR_FIELDS = ['name', 'type', 'target', 'intervalMinutes', 'timeoutSeconds', 'expect', 'alertDelayMinutes', 'escalation', 'repeatMinutes', 'recoveryPasses', 'public', 'regions', 'paused'];
const OTHER_FIELDS = ['email', 'name', 'readOnly', 'label', 'kind', 'address', 'accept', 'escalation', 'repeatMinutes', 'extra'];

describe('fuzzing every write route', () => {
  let t: TestRuntime;
  let owner: { accountId: string; apiKey: string };
  let stranger: { accountId: string; apiKey: string };
  let readOnlyKey: string;
  let monitorId: string;
  let channelId: string;
  let confirmToken: string;

  beforeAll(async () => {
    t = await startTestRuntime();
    owner = await newAccount(t, 'fuzz-owner@example.com');
    stranger = await newAccount(t, 'fuzz-stranger@example.com');
    readOnlyKey = (await t.api('keys', { body: { readOnly: true }, headers: bearer(owner.apiKey) })).json.apiKey;
    monitorId = (await t.api('monitors', { body: { name: 'Fuzzed', type: 'tcp', target: '127.0.0.1:9', intervalMinutes: 5 }, headers: bearer(owner.apiKey) })).json.id;
    channelId = (await t.api('channels', { headers: bearer(owner.apiKey) })).json[0].id;
    await t.api('channels', { body: { kind: 'sms', address: '+14155550199' }, headers: bearer(owner.apiKey) });
    const sms = (await outbox(t)).find((m) => m.to === '+14155550199')!;
    confirmToken = /\/api\/confirm\/([^\s]+)/.exec(sms.body)![1]!;
  });
  afterAll(() => t?.stop());

  async function snapshot(): Promise<string> {
    const rows: string[] = [];
    for (const table of TABLES) {
      for await (const entity of t.runtime.services.storage.table(table).listEntities()) {
        const { etag: _etag, timestamp: _timestamp, ...data } = entity as Record<string, unknown>;
        rows.push(`${table} ${JSON.stringify(data)}`);
      }
    }
    return `${rows.sort().join('\n')}\noutbox: ${(await outbox(t)).length}`;
  }

  const id = (prefix: string) => fc.oneof(fc.constant(`${prefix}${'a'.repeat(20)}`), fc.stringMatching(new RegExp(`^${prefix}[a-z0-9]{20}$`)));
  const garbage = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('..', '%00', 'me', ' ', 'a'.repeat(300), '{id}', "x' or '1'='1", '%2F'));
  const segment = (valid: () => string, prefix: string) => fc.oneof(fc.constant(null).map(() => valid()), id(prefix), garbage);

  interface Route {
    readonly methods: readonly string[];
    readonly path: fc.Arbitrary<string>;
    /** A body the route accepts, which the fuzzer then mutates. */
    readonly valid?: () => Record<string, unknown>;
  }
  let unique = 0;
  const routes: Route[] = [
    { methods: ['POST'], path: fc.constant('accounts'), valid: () => ({ email: `fuzz-${unique++}@example.com`, name: 'Fuzz' }) },
    { methods: ['POST'], path: segment(() => confirmToken, 'f').map((s) => `confirm/${encodeURIComponent(s)}`) },
    { methods: ['POST'], path: fc.constant('keys'), valid: () => ({ readOnly: true, label: 'fuzz' }) },
    { methods: ['DELETE'], path: segment(() => 'k' + 'b'.repeat(20), 'k').map((s) => `keys/${encodeURIComponent(s)}`) },
    { methods: ['POST'], path: fc.constant('channels'), valid: () => ({ kind: 'email', address: `fuzz-channel-${unique++}@example.com` }) },
    { methods: ['DELETE'], path: segment(() => channelId, 'c').map((s) => `channels/${encodeURIComponent(s)}`) },
    {
      methods: ['POST'],
      path: fc.constant('monitors'),
      valid: () => ({ name: 'Fuzz', type: 'http', target: 'http://127.0.0.1:9/x', intervalMinutes: 10, timeoutSeconds: 5, expect: { status: [200] }, regions: ['local'] }),
    },
    { methods: ['PATCH', 'DELETE'], path: segment(() => monitorId, 'm').map((s) => `monitors/${encodeURIComponent(s)}`), valid: () => ({ name: 'Renamed', paused: true }) },
    { methods: ['POST'], path: segment(() => monitorId, 'm').map((s) => `monitors/${encodeURIComponent(s)}/receivers`), valid: () => ({ email: `fuzz-receiver-${unique++}@example.com` }) },
    { methods: ['PUT', 'DELETE'], path: segment(() => monitorId, 'm').map((s) => `monitors/${encodeURIComponent(s)}/receivers/me`), valid: () => ({ accept: true }) },
    {
      methods: ['DELETE'],
      path: fc.tuple(segment(() => monitorId, 'm'), segment(() => stranger.accountId, 'a')).map(([m, r]) => `monitors/${encodeURIComponent(m)}/receivers/${encodeURIComponent(r)}`),
    },
  ];

  const json = fc.jsonValue({ maxDepth: 3 });
  const odd = fc.oneof(json, fc.constantFrom('https', 'tcp', 'dns', 'sms', 'webhook', 'https://example.com/', 'http://169.254.169.254/', '127.0.0.1:80', '+14155550100', 5, 7, 0, -1, 31, 1e308, null, [], {}, true, '', 'x'.repeat(3000)));
  /** A body the route accepts with one or two things changed: what reaches deep validation. */
  const mutated = (valid: () => Record<string, unknown>) =>
    fc.array(fc.tuple(fc.constantFrom(...Object.keys(valid()), ...MONITOR_FIELDS, ...OTHER_FIELDS), fc.oneof(odd, fc.constant(undefined))), { minLength: 0, maxLength: 2 }).map((changes) => {
      const value: Record<string, unknown> = valid();
      for (const [key, v] of changes) {
        if (v === undefined) delete value[key];
        else value[key] = v;
      }
      return JSON.stringify(value);
    });
  const body = (route: Route) =>
    fc.oneof(
      { arbitrary: route.valid ? mutated(route.valid) : json.map((v) => JSON.stringify(v)), weight: 5 },
      { arbitrary: json.map((v) => JSON.stringify(v)), weight: 1 },
      { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
      { arbitrary: fc.constantFrom('', '{', '[]', 'null', '{"__proto__":{"admin":true}}', '{"email":"a@example.com"}'.repeat(3000)), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 1 },
    );
  const request = fc.constantFrom(...routes).chain((route) =>
    fc.record({
      path: route.path,
      // Mostly the route's own methods; sometimes another, which the router must refuse cleanly.
      method: fc.oneof({ arbitrary: fc.constantFrom(...route.methods), weight: 9 }, { arbitrary: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), weight: 1 }),
      body: body(route),
    }),
  );
  type Auth = () => Record<string, string>;
  const auth: fc.Arbitrary<Auth> = fc.oneof(
    { arbitrary: fc.constant<Auth>(() => bearer(owner.apiKey)), weight: 8 },
    { arbitrary: fc.constant<Auth>(() => bearer(stranger.apiKey)), weight: 2 },
    { arbitrary: fc.constant<Auth>(() => bearer(readOnlyKey)), weight: 1 },
    { arbitrary: fc.constant<Auth>(() => ({})), weight: 1 },
    { arbitrary: fc.constant<Auth>(() => bearer(owner.apiKey.slice(0, -1) + (owner.apiKey.endsWith('A') ? 'B' : 'A'))), weight: 1 },
    { arbitrary: fc.constantFrom<Auth>(() => ({ authorization: 'Bearer ' }), () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })), weight: 1 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    { arbitrary: fc.constantFrom<string | undefined>(undefined, 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/problem+json', 'multipart/form-data; boundary=x'), weight: 2 },
  );
  const extraHeaders = fc.record(
    { accept: fc.constantFrom('application/json', 'text/html', '*/*', ''), 'idempotency-key': fc.stringMatching(/^[\x20-\x7e]{0,250}$/) },
    { requiredKeys: [] },
  );

  it('never answers 5xx, and a refused request changes nothing', async () => {
    let before = await snapshot();
    await fc.assert(
      fc.asyncProperty(request, auth, contentType, extraHeaders, async ({ path: p, method: m, body: b }, a, type, extra) => {
        const headers: Record<string, string> = { ...a(), ...extra };
        if (type !== undefined) headers['content-type'] = type;
        const res = await t.api(p, { method: m, headers, ...(b !== undefined ? { rawBody: b } : {}) });
        expect(res.status, `${m} ${p} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
        const after = await snapshot();
        if (res.status >= 400) {
          expect(res.json?.error?.code ?? (res.headers.get('content-type')?.includes('text/html') ? 'page' : undefined), `${m} ${p}`).toBeTruthy();
          expect(after, `${m} ${p} → ${res.status} changed stored state`).toBe(before);
        }
        before = after;
        // Keep a monitor to aim at: the fuzzer may have deleted it.
        if (m === 'DELETE' && p === `monitors/${monitorId}` && res.status === 204) {
          monitorId = (await t.api('monitors', { body: { name: 'Fuzzed', type: 'tcp', target: '127.0.0.1:9', intervalMinutes: 5 }, headers: bearer(owner.apiKey) })).json.id;
          before = await snapshot();
        }
      }),
      { numRuns: 300 },
    );
  });
});
