import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, catalogWith, confirmJson, confirmPath, messageTo, newAccount, outbox } from './support.js';

// Channels: added pending, confirmed by a link sent to the address, listed, removed.

describe('channels', () => {
  let t: TestRuntime;
  let account: { accountId: string; apiKey: string };
  const resolve = async (host: string) => (host === 'intranet.example.com' ? ['10.1.2.3'] : host === 'hooks.example.com' ? ['93.184.215.14'] : []);

  beforeAll(async () => {
    // Private targets disallowed, as in Azure, so the webhook SSRF rules apply.
    t = await startTestRuntime({ env: { SM_ALLOW_PRIVATE_TARGETS: 'false' }, catalog: catalogWith({ resolve }) });
    account = await newAccount(t, 'owner@example.com');
  });
  afterAll(() => t?.stop());

  it('adds an email channel pending and verifies it through the link', async () => {
    const added = await t.api('channels', { body: { kind: 'email', address: 'Pager@Example.com' }, headers: bearer(account.apiKey) });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: expect.stringMatching(/^c[a-z0-9]{20}$/), kind: 'email', address: 'pager@example.com', status: 'pending' });

    const message = await messageTo(t, 'pager@example.com');
    expect(message.body).toContain('owner@example.com');
    const path = confirmPath(message);
    const page = await t.api(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('pager@example.com');
    // GET changed nothing.
    expect((await t.api('channels', { headers: bearer(account.apiKey) })).json.find((c: { id: string }) => c.id === added.json.id).status).toBe('pending');

    const confirmed = await confirmJson(t, path);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toEqual({ kind: 'channel', channelId: added.json.id, status: 'verified' });
    const list = await t.api('channels', { headers: bearer(account.apiKey) });
    expect(list.json.find((c: { id: string }) => c.id === added.json.id)).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });
    expect((await confirmJson(t, path)).status).toBe(410);
  });

  it('adds an SMS channel in E.164 and sends a one-segment link', async () => {
    const added = await t.api('channels', { body: { kind: 'sms', address: '+1 (415) 555-0100' }, headers: bearer(account.apiKey) });
    expect(added.status).toBe(201);
    expect(added.json.address).toBe('+14155550100');
    const message = await messageTo(t, '+14155550100');
    expect(message.channel).toBe('sms');
    expect(message.body.length).toBeLessThanOrEqual(160);
    expect((await confirmJson(t, confirmPath(message))).json.status).toBe('verified');
  });

  it('adds a webhook, posts it a confirmation link, and shows its signing key once', async () => {
    const added = await t.api('channels', { body: { kind: 'webhook', address: 'https://hooks.example.com/alerts#x' }, headers: bearer(account.apiKey) });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ address: 'https://hooks.example.com/alerts', status: 'pending', signingSecret: expect.stringMatching(/^whsec_/) });
    const message = await messageTo(t, 'https://hooks.example.com/alerts');
    expect(message.channel).toBe('webhook');
    const payload = JSON.parse(message.body) as { type: string; confirmUrl: string };
    expect(payload.type).toBe('confirmation');
    expect(payload.confirmUrl).toContain('/api/confirm/');
    expect((await confirmJson(t, confirmPath(message))).status).toBe(200);
    const list = await t.api('channels', { headers: bearer(account.apiKey) });
    expect(JSON.stringify(list.json)).not.toContain('whsec_');
  });

  it('refuses webhooks that point at internal addresses', async () => {
    for (const address of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest', 'https://intranet.example.com/hook', 'http://localhost/x']) {
      const res = await t.api('channels', { body: { kind: 'webhook', address }, headers: bearer(account.apiKey) });
      expect(res.status, address).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'target_not_allowed', field: 'address' });
    }
  });

  it('finds the same channel when an address is added twice, resending a pending confirmation within limits', async () => {
    const body = { kind: 'email', address: 'twice@example.com' };
    const first = await t.api('channels', { body, headers: bearer(account.apiKey) });
    const second = await t.api('channels', { body, headers: bearer(account.apiKey) });
    const third = await t.api('channels', { body, headers: bearer(account.apiKey) });
    expect([first.status, second.status, third.status]).toEqual([201, 200, 200]);
    expect(second.json.id).toBe(first.json.id);
    await messageTo(t, 'twice@example.com', 3);
    const before = (await outbox(t)).length;
    const limited = await t.api('channels', { body, headers: bearer(account.apiKey) });
    expect(limited.status).toBe(429);
    expect((await outbox(t)).length).toBe(before);
    const all = await t.api('channels', { headers: bearer(account.apiKey) });
    expect(all.json.filter((c: { address: string }) => c.address === 'twice@example.com')).toHaveLength(1);
  });

  it('deletes a channel: gone from the list at once, its pending link answers 410', async () => {
    const added = await t.api('channels', { body: { kind: 'email', address: 'short-lived@example.com' }, headers: bearer(account.apiKey) });
    const path = confirmPath(await messageTo(t, 'short-lived@example.com'));
    expect((await t.api(`channels/${added.json.id}`, { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(204);
    expect((await t.api('channels', { headers: bearer(account.apiKey) })).json.map((c: { id: string }) => c.id)).not.toContain(added.json.id);
    expect((await confirmJson(t, path)).status).toBe(410);
    expect((await t.api(`channels/${added.json.id}`, { method: 'DELETE', headers: bearer(account.apiKey) })).status).toBe(404);
  });

  it("keeps accounts apart: no one sees or deletes another's channels", async () => {
    const other = await newAccount(t, 'stranger@example.com');
    const mine = await t.api('channels', { headers: bearer(account.apiKey) });
    const theirs = await t.api('channels', { headers: bearer(other.apiKey) });
    expect(theirs.json).toHaveLength(1);
    expect((await t.api(`channels/${mine.json[0].id}`, { method: 'DELETE', headers: bearer(other.apiKey) })).status).toBe(404);
  });

  it('validates channel requests', async () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'pager', address: 'x' }, 'kind'],
      [{ kind: 'email', address: 'nope' }, 'address'],
      [{ kind: 'sms', address: '0415 555 0100' }, 'address'],
      [{ kind: 'sms', address: '+0123456789' }, 'address'],
      [{ kind: 'webhook', address: 'ftp://example.com/x' }, 'address'],
      [{ kind: 'webhook', address: 'https://user:pw@example.com/x' }, 'address'],
      [{ kind: 'email' }, 'address'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('channels', { body, headers: bearer(account.apiKey) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
  });
});
