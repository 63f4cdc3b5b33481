import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationsFor } from '../../../functions/alerts/destinations.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, confirmJson, confirmPath, messageTo, newAccount, verifiedChannel } from './support.js';

// Receivers: an owner sends a monitor's alerts to other accounts; each accepts or refuses,
// owns its path, reads the monitor and never changes it; the owner withdraws.

describe('receivers', () => {
  let t: TestRuntime;
  let owner: { accountId: string; apiKey: string };
  let monitorId: string;
  /** API keys of the invitees, by address, as they signed up in the tests above. */
  const keys = new Map<string, string>();
  const keyOf = async (email: string) => keys.get(email)!;
  const bobApiKey = () => keyOf('bob@example.com');

  const destinations = () => destinationsFor(t.runtime.services.storage, monitorId);

  beforeAll(async () => {
    t = await startTestRuntime();
    owner = await newAccount(t, 'owner@example.com');
    const created = await t.api('monitors', {
      body: { name: 'Shop', type: 'http', target: 'http://127.0.0.1:9/', intervalMinutes: 1 },
      headers: bearer(owner.apiKey),
    });
    expect(created.status).toBe(201);
    monitorId = created.json.id;
  });
  afterAll(() => t?.stop());

  it('invites an address without an account; it can accept once it has one', async () => {
    const invited = await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'Bob@Example.com' }, headers: bearer(owner.apiKey) });
    expect(invited.status).toBe(201);
    expect(invited.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{64}$/), email: 'bob@example.com', status: 'invited' });

    const invitation = await messageTo(t, 'bob@example.com');
    expect(invitation.subject).toContain('owner@example.com');
    expect(invitation.body).toContain('Shop');
    const path = confirmPath(invitation);
    const page = await t.api(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Shop');

    // No account yet: nothing happens and the link keeps working.
    const early = await confirmJson(t, path);
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('account_needed');

    const bob = await newAccount(t, 'bob@example.com');
    keys.set('bob@example.com', bob.apiKey);
    const receiving = await t.api('receiving', { headers: bearer(bob.apiKey) });
    expect(receiving.json).toEqual([expect.objectContaining({ monitorId, monitorName: 'Shop', ownerEmail: 'owner@example.com', status: 'invited' })]);
    expect((await t.api(`monitors/${monitorId}`, { headers: bearer(bob.apiKey) })).status).toBe(404);

    const accepted = await confirmJson(t, path);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toEqual({ kind: 'receiver', monitorId, status: 'accepted' });
    expect((await confirmJson(t, path)).status).toBe(410);

    // Bob reads the monitor and finds it in his list; he cannot change it.
    const seen = await t.api(`monitors/${monitorId}`, { headers: bearer(bob.apiKey) });
    expect(seen.status).toBe(200);
    expect(seen.json.access).toBe('receiver');
    expect((await t.api('monitors', { headers: bearer(bob.apiKey) })).json.map((m: { id: string }) => m.id)).toEqual([monitorId]);
    expect((await t.api(`monitors/${monitorId}`, { method: 'PATCH', body: { name: 'Mine' }, headers: bearer(bob.apiKey) })).status).toBe(403);
    expect((await t.api(`monitors/${monitorId}`, { method: 'DELETE', headers: bearer(bob.apiKey) })).status).toBe(403);
    expect((await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'eve@example.com' }, headers: bearer(bob.apiKey) })).status).toBe(403);

    const list = await t.api(`monitors/${monitorId}/receivers`, { headers: bearer(owner.apiKey) });
    expect(list.json).toEqual([expect.objectContaining({ email: 'bob@example.com', status: 'accepted', accountId: bob.accountId })]);
  });

  it('routes alerts to the owner and to each accepted receiver along their own paths', async () => {
    const bobKey = await bobApiKey();
    const bobSms = await verifiedChannel(t, bobKey, 'sms', '+14155550123');
    const ownerChannels = (await t.api('channels', { headers: bearer(owner.apiKey) })).json;

    // A receiver's path names only its own channels.
    const foreign = await t.api(`monitors/${monitorId}/receivers/me`, {
      method: 'PUT',
      body: { accept: true, escalation: [{ afterMinutes: 0, channels: [ownerChannels[0].id] }] },
      headers: bearer(bobKey),
    });
    expect(foreign.status).toBe(400);

    const path = await t.api(`monitors/${monitorId}/receivers/me`, {
      method: 'PUT',
      body: { accept: true, escalation: [{ afterMinutes: 10, channels: [bobSms] }], repeatMinutes: 30 },
      headers: bearer(bobKey),
    });
    expect(path.status).toBe(200);
    expect(path.json).toMatchObject({ status: 'accepted', escalation: [{ afterMinutes: 10, channels: [bobSms] }], repeatMinutes: 30 });

    const routes = await destinations();
    expect(routes.map((d) => ({ role: d.role, kind: d.channel.kind, after: d.afterMinutes, repeat: d.repeatMinutes }))).toEqual([
      { role: 'owner', kind: 'email', after: 0, repeat: 15 },
      { role: 'receiver', kind: 'sms', after: 10, repeat: 30 },
    ]);
    expect(new Set(routes.map((d) => d.key)).size).toBe(routes.length);

    // A deleted channel gets nothing from that moment.
    expect((await t.api(`channels/${bobSms}`, { method: 'DELETE', headers: bearer(bobKey) })).status).toBe(204);
    expect((await destinations()).map((d) => d.role)).toEqual(['owner']);
  });

  it('lets an invitee refuse: no alerts, no access, and the owner sees it', async () => {
    await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'carol@example.com' }, headers: bearer(owner.apiKey) });
    const carol = await newAccount(t, 'carol@example.com');
    keys.set('carol@example.com', carol.apiKey);
    const refused = await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: false }, headers: bearer(carol.apiKey) });
    expect(refused.status).toBe(200);
    expect(refused.json.status).toBe('refused');
    expect((await t.api(`monitors/${monitorId}`, { headers: bearer(carol.apiKey) })).status).toBe(404);
    expect((await destinations()).some((d) => d.accountId === carol.accountId)).toBe(false);
    const list = (await t.api(`monitors/${monitorId}/receivers`, { headers: bearer(owner.apiKey) })).json;
    expect(list.find((r: { email: string }) => r.email === 'carol@example.com').status).toBe('refused');
    // Inviting a refusing address again sends nothing new.
    const again = await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'carol@example.com' }, headers: bearer(owner.apiKey) });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('refused');
    // A receiver may not remove others.
    const bobKey = await bobApiKey();
    const carolId = list.find((r: { email: string }) => r.email === 'carol@example.com').id;
    expect((await t.api(`monitors/${monitorId}/receivers/${carolId}`, { method: 'DELETE', headers: bearer(bobKey) })).status).toBe(403);
  });

  it('lets the owner withdraw and a receiver leave', async () => {
    const bob = (await t.api(`monitors/${monitorId}/receivers`, { headers: bearer(owner.apiKey) })).json.find((r: { email: string }) => r.email === 'bob@example.com');
    expect((await t.api(`monitors/${monitorId}/receivers/${bob.accountId}`, { method: 'DELETE', headers: bearer(owner.apiKey) })).status).toBe(204);
    const bobKey = await bobApiKey();
    expect((await t.api(`monitors/${monitorId}`, { headers: bearer(bobKey) })).status).toBe(404);
    expect((await t.api('receiving', { headers: bearer(bobKey) })).json).toEqual([]);
    expect((await destinations()).some((d) => d.accountId === bob.accountId)).toBe(false);
    expect((await t.api(`monitors/${monitorId}/receivers/${bob.accountId}`, { method: 'DELETE', headers: bearer(owner.apiKey) })).status).toBe(404);

    // Carol changes her mind, then leaves.
    const carolKey = await keyOf('carol@example.com');
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(carolKey) })).status).toBe(200);
    expect((await t.api(`monitors/${monitorId}`, { headers: bearer(carolKey) })).status).toBe(200);
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'DELETE', headers: bearer(carolKey) })).status).toBe(204);
    expect((await t.api(`monitors/${monitorId}`, { headers: bearer(carolKey) })).status).toBe(404);
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(carolKey) })).status).toBe(404);
  });

  it('refuses what makes no sense', async () => {
    const self = await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'owner@example.com' }, headers: bearer(owner.apiKey) });
    expect(self.status).toBe(400);
    const stranger = await newAccount(t, 'stranger@example.com');
    expect((await t.api(`monitors/${monitorId}/receivers`, { body: { email: 'x@example.com' }, headers: bearer(stranger.apiKey) })).status).toBe(404);
    expect((await t.api(`monitors/${monitorId}/receivers`, { headers: bearer(stranger.apiKey) })).status).toBe(404);
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(stranger.apiKey) })).status).toBe(404);
    for (const body of [{}, { email: 'nope' }, { email: 'x@example.com', role: 'admin' }]) {
      expect((await t.api(`monitors/${monitorId}/receivers`, { body, headers: bearer(owner.apiKey) })).status).toBe(400);
    }
  });

  it('ends every subscription when the monitor is deleted', async () => {
    const created = await t.api('monitors', { body: { name: 'Brief', type: 'ping', target: '127.0.0.1', intervalMinutes: 20 }, headers: bearer(owner.apiKey) });
    const id = created.json.id;
    await t.api(`monitors/${id}/receivers`, { body: { email: 'dave@example.com' }, headers: bearer(owner.apiKey) });
    const dave = await newAccount(t, 'dave@example.com');
    expect((await t.api(`monitors/${id}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(dave.apiKey) })).status).toBe(200);
    expect((await t.api(`monitors/${id}`, { method: 'DELETE', headers: bearer(owner.apiKey) })).status).toBe(204);
    expect((await t.api('receiving', { headers: bearer(dave.apiKey) })).json).toEqual([]);
    expect((await t.api('monitors', { headers: bearer(dave.apiKey) })).json).toEqual([]);
    expect(await destinationsFor(t.runtime.services.storage, id)).toEqual([]);
  });
});
