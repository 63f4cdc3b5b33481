import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorStore } from '../../../functions/storage/monitors.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, catalogWith, newAccount, verifiedChannel } from './support.js';

// Monitors per API.md: type-specific validation, SSRF at save time, owner-only changes.

const base = { name: 'Web', type: 'https', target: 'https://example.com/health', intervalMinutes: 5 };

describe('monitors', () => {
  let t: TestRuntime;
  let owner: { accountId: string; apiKey: string };
  let other: { accountId: string; apiKey: string };
  const resolve = async (host: string) => (host === 'intranet.example.com' ? ['192.168.1.10'] : host === 'example.com' ? ['93.184.215.14'] : []);

  beforeAll(async () => {
    t = await startTestRuntime({
      env: { SM_ALLOW_PRIVATE_TARGETS: 'false', SM_REGIONS: 'westeurope,eastus,japaneast', SM_REGION: 'westeurope' },
      catalog: catalogWith({ resolve }),
    });
    owner = await newAccount(t, 'owner@example.com');
    other = await newAccount(t, 'other@example.com');
  });
  afterAll(() => t?.stop());

  const create = (body: unknown, apiKey = owner.apiKey, headers: Record<string, string> = {}) =>
    t.api('monitors', { body, headers: { ...bearer(apiKey), ...headers } });

  it('creates a monitor with defaults and state unknown', async () => {
    const res = await create(base);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^m[a-z0-9]{20}$/),
      name: 'Web',
      type: 'https',
      target: 'https://example.com/health',
      intervalMinutes: 5,
      timeoutSeconds: 10,
      expect: {},
      alertDelayMinutes: 2,
      escalation: null,
      repeatMinutes: 15,
      recoveryPasses: 1,
      public: false,
      regions: null,
      paused: false,
      createdAt: expect.any(String),
      updatedAt: res.json.createdAt,
      state: 'unknown',
      ownerId: owner.accountId,
      access: 'owner',
    });
    expect((await t.api(`monitors/${res.json.id}`, { headers: bearer(owner.apiKey) })).json).toEqual(res.json);
  });

  it('accepts each type with its own target form and checks', async () => {
    const good: Array<[Record<string, unknown>, string]> = [
      [{ type: 'http', target: 'http://Example.com:8080/x#frag', expect: { status: [200, 204], keyword: 'OK' } }, 'http://example.com:8080/x'],
      [{ type: 'tcp', target: '93.184.215.14:5432', expect: { send: 'PING', receive: 'PONG' } }, '93.184.215.14:5432'],
      [{ type: 'smtp', target: 'example.com', expect: { banner: 'ESMTP', tls: 'starttls' } }, 'example.com'],
      [{ type: 'ssh', target: '[2606:2800:220:1::]:2222' }, '[2606:2800:220:1::]:2222'],
      [{ type: 'ping', target: 'EXAMPLE.com' }, 'example.com'],
      [{ type: 'dns', target: '_dmarc.example.com', expect: { recordType: 'TXT', server: '9.9.9.9:53' } }, '_dmarc.example.com'],
      [{ type: 'ftp', target: 'files.unresolvable.invalid:2121' }, 'files.unresolvable.invalid:2121'],
    ];
    for (const [fields, stored] of good) {
      const res = await create({ ...base, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(201);
      expect(res.json.target).toBe(stored);
    }
  });

  it('rejects bad monitors with a 400 naming the field, storing nothing', async () => {
    const before = (await t.api('monitors', { headers: bearer(owner.apiKey) })).json.length;
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ intervalMinutes: 3 }, 'intervalMinutes'],
      [{ intervalMinutes: '5' }, 'intervalMinutes'],
      [{ timeoutSeconds: 0 }, 'timeoutSeconds'],
      [{ timeoutSeconds: 31 }, 'timeoutSeconds'],
      [{ timeoutSeconds: 2.5 }, 'timeoutSeconds'],
      [{ type: 'gopher' }, 'type'],
      [{ type: 'http' }, 'target'], // https URL for an http monitor
      [{ target: 'example.com' }, 'target'],
      [{ target: 'https://user:pw@example.com/' }, 'target'],
      [{ type: 'tcp', target: 'example.com' }, 'target'], // tcp needs a port
      [{ type: 'tcp', target: 'example.com:70000' }, 'target'],
      [{ type: 'ssh', target: '2001:db8::1:22:x' }, 'target'],
      [{ expect: { banner: 'x' } }, 'expect'], // not an http check
      [{ expect: { status: ['200'] } }, 'expect.status.0'],
      [{ type: 'tcp', target: 'example.com:1', expect: { keyword: 'x' } }, 'expect'],
      [{ alertDelayMinutes: 61 }, 'alertDelayMinutes'],
      [{ repeatMinutes: 0 }, 'repeatMinutes'],
      [{ recoveryPasses: 0 }, 'recoveryPasses'],
      [{ public: 'yes' }, 'public'],
      [{ regions: [] }, 'regions'],
      [{ regions: ['mars'] }, 'regions'],
      [{ escalation: [] }, 'escalation'],
      [{ escalation: [{ afterMinutes: 0, channels: [] }] }, 'escalation.0.channels'],
      [{ escalation: [{ afterMinutes: 0, channels: [`c${'x'.repeat(20)}`] }] }, 'escalation.0.channels.0'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ owner: 'me' }, ''],
      [{ state: 'up' }, ''],
    ];
    for (const [fields, field] of bad) {
      const res = await create({ ...base, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.json.error.code, JSON.stringify(fields)).toBe('validation');
      if (field) expect(res.json.error.field, JSON.stringify(fields)).toBe(field);
      else expect(res.json.error.message).toMatch(/unknown field/);
    }
    for (const missing of ['name', 'type', 'target', 'intervalMinutes']) {
      const { [missing]: _, ...body } = base as Record<string, unknown>;
      expect((await create(body)).json.error.field).toBe(missing);
    }
    expect((await t.api('monitors', { headers: bearer(owner.apiKey) })).json.length).toBe(before);
  });

  it('applies the SSRF policy at save time', async () => {
    const blocked: Array<[Record<string, unknown>, string]> = [
      [{ target: 'https://127.0.0.1/' }, 'target'],
      [{ target: 'https://[::1]/' }, 'target'],
      [{ type: 'http', target: 'http://0x7f.1/' }, 'target'], // 127.0.0.1 in disguise
      [{ type: 'http', target: 'http://169.254.169.254/latest/meta-data' }, 'target'],
      [{ target: 'https://intranet.example.com/' }, 'target'], // resolves to a private address
      [{ type: 'tcp', target: 'localhost:22' }, 'target'],
      [{ type: 'ssh', target: '[::ffff:10.0.0.1]:22' }, 'target'],
      [{ type: 'dns', target: 'example.com', expect: { server: '10.0.0.53' } }, 'expect.server'],
    ];
    for (const [fields, field] of blocked) {
      const res = await create({ ...base, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'target_not_allowed', field });
    }
  });

  it('accepts regions of the deployment and escalation over the owner’s own channels', async () => {
    const pager = await verifiedChannel(t, owner.apiKey, 'sms', '+14155550101');
    const [email] = (await t.api('channels', { headers: bearer(owner.apiKey) })).json.map((c: { id: string }) => c.id);
    const escalation = [
      { afterMinutes: 15, channels: [pager] },
      { afterMinutes: 0, channels: [email] },
    ];
    const res = await create({ ...base, regions: ['eastus', 'westeurope'], escalation });
    expect(res.status).toBe(201);
    expect(res.json.regions).toEqual(['eastus', 'westeurope']);
    expect(res.json.escalation).toEqual([escalation[1], escalation[0]]);

    // Another account's channel is not the owner's to name.
    const theirs = (await t.api('channels', { headers: bearer(other.apiKey) })).json[0].id;
    const refused = await create({ ...base, escalation: [{ afterMinutes: 0, channels: [theirs] }] });
    expect(refused.status).toBe(400);
    expect(refused.json.error.field).toBe('escalation.0.channels.0');
  });

  it('makes a retried create with the same Idempotency-Key return the first monitor', async () => {
    const headers = { 'idempotency-key': 'create-web-1' };
    const first = await create({ ...base, name: 'Once' }, owner.apiKey, headers);
    const second = await create({ ...base, name: 'Once' }, owner.apiKey, headers);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.json.id).toBe(first.json.id);
    const list = (await t.api('monitors', { headers: bearer(owner.apiKey) })).json;
    expect(list.filter((m: { name: string }) => m.name === 'Once')).toHaveLength(1);
    // The same key from another account is another monitor.
    expect((await create({ ...base, name: 'Once' }, other.apiKey, headers)).status).toBe(201);
  });

  it('updates with PATCH: owner only, validated as a whole, null resets', async () => {
    const created = (await create({ ...base, regions: ['eastus'] })).json;
    const path = `monitors/${created.id}`;
    const patched = await t.api(path, { method: 'PATCH', body: { name: 'Renamed', intervalMinutes: 1, regions: null, paused: true }, headers: bearer(owner.apiKey) });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Renamed', intervalMinutes: 1, regions: null, paused: true, createdAt: created.createdAt });
    expect(patched.json.updatedAt >= created.updatedAt).toBe(true);

    // Changing the type alone must leave a target of the new type.
    const mismatch = await t.api(path, { method: 'PATCH', body: { type: 'tcp' }, headers: bearer(owner.apiKey) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.field).toBe('target');
    const retyped = await t.api(path, { method: 'PATCH', body: { type: 'tcp', target: 'example.com:443' }, headers: bearer(owner.apiKey) });
    expect(retyped.status).toBe(200);
    expect(retyped.json.expect).toEqual({});

    for (const body of [{ intervalMinutes: 7 }, { id: 'm' + 'x'.repeat(20) }, { target: 'https://127.0.0.1/' }, []]) {
      expect((await t.api(path, { method: 'PATCH', body, headers: bearer(owner.apiKey) })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.api(path, { headers: bearer(owner.apiKey) })).json).toEqual({ ...retyped.json });
  });

  it('lets only the owner change or delete; others get 404 for a private monitor and 403 for a public one', async () => {
    const hidden = (await create({ ...base, name: 'Hidden' })).json;
    const shown = (await create({ ...base, name: 'Shown', public: true })).json;
    const key = bearer(other.apiKey);

    expect((await t.api(`monitors/${hidden.id}`, { headers: key })).status).toBe(404);
    expect((await t.api(`monitors/${hidden.id}`, { method: 'PATCH', body: { name: 'x' }, headers: key })).status).toBe(404);
    expect((await t.api(`monitors/${hidden.id}`, { method: 'DELETE', headers: key })).status).toBe(404);

    const seen = await t.api(`monitors/${shown.id}`, { headers: key });
    expect(seen.status).toBe(200);
    expect(seen.json.access).toBe('public');
    expect((await t.api(`monitors/${shown.id}`, { method: 'PATCH', body: { name: 'x' }, headers: key })).status).toBe(403);
    // Even with a bad body: who may change it is decided first.
    expect((await t.api(`monitors/${shown.id}`, { method: 'PATCH', body: { intervalMinutes: 3 }, headers: key })).status).toBe(403);
    expect((await t.api(`monitors/${shown.id}`, { method: 'DELETE', headers: key })).status).toBe(403);
    expect((await t.api(`monitors/${shown.id}`, { headers: bearer(owner.apiKey) })).json.name).toBe('Shown');

    // Public monitors of others are not in one's list.
    expect((await t.api('monitors', { headers: key })).json.map((m: { id: string }) => m.id)).not.toContain(shown.id);
  });

  it('deletes: 204, then 404 everywhere', async () => {
    const created = (await create({ ...base, name: 'Doomed' })).json;
    expect((await t.api(`monitors/${created.id}`, { method: 'DELETE', headers: bearer(owner.apiKey) })).status).toBe(204);
    expect((await t.api(`monitors/${created.id}`, { headers: bearer(owner.apiKey) })).status).toBe(404);
    expect((await t.api(`monitors/${created.id}`, { method: 'DELETE', headers: bearer(owner.apiKey) })).status).toBe(404);
    expect((await t.api('monitors', { headers: bearer(owner.apiKey) })).json.map((m: { id: string }) => m.id)).not.toContain(created.id);
    expect((await t.api('monitors/not-a-monitor', { headers: bearer(owner.apiKey) })).status).toBe(404);
  });

  it('gives the probe cycle every monitor in one scan, and takes its state', async () => {
    const created = (await create({ ...base, name: 'Scheduled', type: 'tcp', target: 'example.com:25', intervalMinutes: 10, timeoutSeconds: 5 })).json;
    const store = new MonitorStore(t.runtime.services.storage);
    const scheduled = [];
    for await (const page of store.listScheduled()) scheduled.push(...page);
    expect(scheduled.find((m) => m.id === created.id)).toEqual({
      id: created.id,
      type: 'tcp',
      target: 'example.com:25',
      intervalMinutes: 10,
      timeoutSeconds: 5,
      expect: {},
      regions: null,
      paused: false,
      state: 'unknown',
      createdAt: created.createdAt,
    });
    expect(await store.setState(created.id, 'down', new Date().toISOString())).toBe(true);
    expect((await t.api(`monitors/${created.id}`, { headers: bearer(owner.apiKey) })).json.state).toBe('down');
    // An owner's edit after the cycle's write keeps the state; the state write kept the edit.
    await t.api(`monitors/${created.id}`, { method: 'PATCH', body: { name: 'Scheduled 2' }, headers: bearer(owner.apiKey) });
    expect((await t.api(`monitors/${created.id}`, { headers: bearer(owner.apiKey) })).json).toMatchObject({ name: 'Scheduled 2', state: 'down' });
    expect(await store.setState(`m${'q'.repeat(20)}`, 'up', new Date().toISOString())).toBe(false);
  });
});
