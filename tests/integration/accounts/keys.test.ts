import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, newAccount } from './support.js';

// API keys: shown once, stored hashed, read-write and read-only; 401 and 403 as API.md says.

describe('API keys', () => {
  let t: TestRuntime;
  let account: { accountId: string; apiKey: string };

  beforeAll(async () => {
    t = await startTestRuntime();
    account = await newAccount(t, 'keys@example.com');
  });
  afterAll(() => t?.stop());

  it('creates read-write and read-only keys, shown once and stored only as hashes', async () => {
    const rw = await t.api('keys', { body: { readOnly: false, label: 'deploy' }, headers: bearer(account.apiKey) });
    expect(rw.status).toBe(201);
    expect(rw.json).toMatchObject({ id: expect.stringMatching(/^k[a-z0-9]{20}$/), readOnly: false, label: 'deploy' });
    expect(rw.json.apiKey).toContain(rw.json.id);

    const list = await t.api('keys', { headers: bearer(rw.json.apiKey) });
    expect(list.status).toBe(200);
    expect(list.json.map((k: { id: string }) => k.id)).toContain(rw.json.id);
    expect(JSON.stringify(list.json)).not.toContain(rw.json.apiKey.split('_').pop());

    // The table holds a hash, never the key or its secret part.
    const rows: string[] = [];
    for await (const row of t.runtime.services.storage.table('accounts').listEntities()) rows.push(JSON.stringify(row));
    expect(rows.join('\n')).not.toContain(rw.json.apiKey.split('_').pop());
  });

  it('answers 401 for a missing, malformed or unknown key, with WWW-Authenticate', async () => {
    const wrongSecret = account.apiKey.slice(0, -4) + (account.apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const otherAccount = account.apiKey.replace(/^sm_a[a-z0-9]{20}/, `sm_a${'z'.repeat(20)}`);
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }, bearer('nonsense'), bearer(wrongSecret), bearer(otherAccount)]) {
      const res = await t.api('monitors', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json.error.code).toBe('unauthenticated');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('lets a read-only key read and answers 403 for every write', async () => {
    const ro = await t.api('keys', { body: { readOnly: true }, headers: bearer(account.apiKey) });
    expect(ro.status).toBe(201);
    const key = bearer(ro.json.apiKey);
    expect((await t.api('monitors', { headers: key })).status).toBe(200);
    expect((await t.api('channels', { headers: key })).status).toBe(200);
    expect((await t.api('keys', { headers: key })).status).toBe(200);
    expect((await t.api('receiving', { headers: key })).status).toBe(200);

    const writes: Array<[string, string, unknown]> = [
      ['keys', 'POST', { readOnly: false }],
      [`keys/${ro.json.id}`, 'DELETE', undefined],
      ['channels', 'POST', { kind: 'email', address: 'x@example.com' }],
      [`channels/c${'a'.repeat(20)}`, 'DELETE', undefined],
      ['monitors', 'POST', { name: 'x', type: 'tcp', target: '127.0.0.1:80', intervalMinutes: 5 }],
      [`monitors/m${'a'.repeat(20)}`, 'PATCH', { name: 'y' }],
      [`monitors/m${'a'.repeat(20)}`, 'DELETE', undefined],
      [`monitors/m${'a'.repeat(20)}/receivers`, 'POST', { email: 'r@example.com' }],
      [`monitors/m${'a'.repeat(20)}/receivers/me`, 'PUT', { accept: true }],
    ];
    for (const [path, method, body] of writes) {
      const res = await t.api(path, { method, headers: key, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    // The read-only key survived its own attempt to delete itself.
    expect((await t.api('keys', { headers: key })).status).toBe(200);
  });

  it('revokes a key at once; a second delete is 404', async () => {
    const extra = await t.api('keys', { body: { readOnly: false }, headers: bearer(account.apiKey) });
    expect((await t.api('monitors', { headers: bearer(extra.json.apiKey) })).status).toBe(200);
    expect((await t.api(`keys/${extra.json.id}`, { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(204);
    expect((await t.api('monitors', { headers: bearer(extra.json.apiKey) })).status).toBe(401);
    expect((await t.api(`keys/${extra.json.id}`, { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(404);
    expect((await t.api('keys/not-an-id', { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(404);
  });

  it("cannot touch another account's keys", async () => {
    const other = await newAccount(t, 'other-keys@example.com');
    const theirs = await t.api('keys', { body: { readOnly: true }, headers: bearer(other.apiKey) });
    expect((await t.api(`keys/${theirs.json.id}`, { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(404);
    expect((await t.api('keys', { headers: bearer(theirs.json.apiKey) })).status).toBe(200);
  });

  it('limits an account to 50 keys', async () => {
    const account2 = await newAccount(t, 'many-keys@example.com');
    const existing = (await t.api('keys', { headers: bearer(account2.apiKey) })).json.length;
    for (let i = existing; i < 50; i++) {
      expect((await t.api('keys', { body: { readOnly: true }, headers: bearer(account2.apiKey) })).status).toBe(201);
    }
    const refused = await t.api('keys', { body: { readOnly: true }, headers: bearer(account2.apiKey) });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('too_many_keys');
  });

  it('validates key requests', async () => {
    for (const body of [{}, { readOnly: 'yes' }, { readOnly: true, label: '' }, { readOnly: true, scope: 'all' }]) {
      const res = await t.api('keys', { body, headers: bearer(account.apiKey) });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});
