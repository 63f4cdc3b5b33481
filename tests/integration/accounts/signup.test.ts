import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { bearer, catalogWith, confirmJson, confirmPath, messageTo, newAccount, outbox, testClock } from './support.js';

// The double opt-in of sign-up, end to end over HTTP, reading messages from the outbox.

describe('sign-up and confirmation', () => {
  let t: TestRuntime;
  const clock = testClock();

  beforeAll(async () => {
    t = await startTestRuntime({ catalog: catalogWith({ now: clock.now }) });
  });
  afterAll(() => t?.stop());

  it('sends a link whose page changes nothing and whose POST activates the account and shows the key once', async () => {
    const signup = await t.api('accounts', { body: { email: 'Ada@Example.com', name: 'Ada' } });
    expect(signup.status).toBe(202);
    expect(signup.json).toEqual({ id: expect.stringMatching(/^a[a-z0-9]{20}$/), status: 'pending' });

    const message = await messageTo(t, 'ada@example.com');
    expect(message.channel).toBe('email');
    expect(message.subject).toMatch(/confirm/i);
    const path = confirmPath(message);
    expect(message.body).toContain(`${t.url}/api/${path}`);

    // A mail scanner fetching the link twice changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await t.api(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('<form method="post">');
      expect(page.text).toContain('ada@example.com');
    }

    const confirmed = await confirmJson(t, path);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toEqual({ kind: 'account', accountId: signup.json.id, apiKey: expect.stringMatching(/^sm_a[a-z0-9]{20}_k[a-z0-9]{20}_[A-Za-z0-9_-]{43}$/) });

    // The key works, and the sign-up address is the first verified email channel.
    const channels = await t.api('channels', { headers: bearer(confirmed.json.apiKey) });
    expect(channels.status).toBe(200);
    expect(channels.json).toEqual([expect.objectContaining({ kind: 'email', address: 'ada@example.com', status: 'verified' })]);

    // Used: 410, as JSON and as a page, and nothing new is issued.
    const again = await confirmJson(t, path);
    expect(again.status).toBe(410);
    expect(again.json.error.code).toBe('gone');
    const againPage = await t.api(path, { method: 'POST' });
    expect(againPage.status).toBe(410);
    expect(againPage.headers.get('content-type')).toMatch(/text\/html/);
    expect((await t.api(path)).status).toBe(410);
    const keys = await t.api('keys', { headers: bearer(confirmed.json.apiKey) });
    expect(keys.json).toHaveLength(1);
  });

  it('shows the key on an HTML page to a browser', async () => {
    await t.api('accounts', { body: { email: 'page@example.com' } });
    const path = confirmPath(await messageTo(t, 'page@example.com'));
    const page = await t.api(path, { method: 'POST', headers: { accept: 'text/html,application/xhtml+xml,application/json;q=0.9' } });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<code>sm_a[a-z0-9]{20}_k[a-z0-9]{20}_[A-Za-z0-9_-]{43}<\/code>/);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 410 for altered tokens and changes nothing', async () => {
    await t.api('accounts', { body: { email: 'tamper@example.com' } });
    const path = confirmPath(await messageTo(t, 'tamper@example.com'));
    const token = path.slice('confirm/'.length);
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    const altered = [
      `${flip(id, 5)}.${expiry}.${signature}`, // another confirmation
      `${id}.${(parseInt(expiry, 36) + 86_400).toString(36)}.${signature}`, // a later expiry
      `${id}.${expiry}.${flip(signature, signature.length - 1)}`, // the signature's last character
      `${id}.${expiry}.${flip(signature, 0)}`,
      `${id}.${expiry}`,
      'not-a-token',
      `${token}x`,
    ];
    for (const bad of altered) {
      expect((await confirmJson(t, `confirm/${encodeURIComponent(bad)}`)).status, bad).toBe(410);
      expect((await t.api(`confirm/${encodeURIComponent(bad)}`)).status, bad).toBe(410);
    }
    // The real token still works: nothing was used up by the attempts.
    expect((await confirmJson(t, path)).status).toBe(200);
  });

  it('expires tokens after 48 hours', async () => {
    await t.api('accounts', { body: { email: 'late@example.com' } });
    const path = confirmPath(await messageTo(t, 'late@example.com'));
    clock.advance(48 * 60 * 60 * 1000 + 1000);
    try {
      expect((await t.api(path)).status).toBe(410);
      expect((await confirmJson(t, path)).status).toBe(410);
    } finally {
      clock.advance(-(48 * 60 * 60 * 1000 + 1000));
    }
    // Signing up again sends a fresh link that works.
    await t.api('accounts', { body: { email: 'late@example.com' } });
    expect((await confirmJson(t, confirmPath(await messageTo(t, 'late@example.com', 2)))).status).toBe(200);
  });

  it('lets exactly one of two racing confirmations win', async () => {
    await t.api('accounts', { body: { email: 'race@example.com' } });
    const path = confirmPath(await messageTo(t, 'race@example.com'));
    const results = await Promise.all([confirmJson(t, path), confirmJson(t, path), confirmJson(t, path)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
  });

  it('never reveals whether an address has an account', async () => {
    const { apiKey, accountId } = await newAccount(t, 'known@example.com');
    const known = await t.api('accounts', { body: { email: 'known@example.com' } });
    const unknown = await t.api('accounts', { body: { email: 'unknown@example.com' } });
    expect(known.status).toBe(unknown.status);
    expect(Object.keys(known.json)).toEqual(Object.keys(unknown.json));
    expect(known.json.status).toBe('pending');
    expect(known.json.id).toBe(accountId);

    // The account's owner gets a lost-key link instead of an activation link.
    const notice = await messageTo(t, 'known@example.com', 2);
    expect(notice.body).toMatch(/already has an account/);
    const recovered = await confirmJson(t, confirmPath(notice));
    expect(recovered.status).toBe(200);
    expect(recovered.json).toMatchObject({ kind: 'account', accountId });
    expect(recovered.json.apiKey).not.toBe(apiKey);
    // Both keys work.
    expect((await t.api('keys', { headers: bearer(apiKey) })).json).toHaveLength(2);
    expect((await t.api('keys', { headers: bearer(recovered.json.apiKey) })).status).toBe(200);
  });

  it('resends for an unconfirmed address, then rate-limits it', async () => {
    const email = 'again@example.com';
    const first = await t.api('accounts', { body: { email } });
    const second = await t.api('accounts', { body: { email } });
    const third = await t.api('accounts', { body: { email } });
    expect([first.status, second.status, third.status]).toEqual([202, 202, 202]);
    expect(new Set([first.json.id, second.json.id, third.json.id]).size).toBe(1);
    await messageTo(t, email, 3);

    const before = (await outbox(t)).length;
    const limited = await t.api('accounts', { body: { email } });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await outbox(t)).length).toBe(before);

    // An hour later the address may try again.
    clock.advance(61 * 60 * 1000);
    expect((await t.api('accounts', { body: { email } })).status).toBe(202);
  });

  it('rejects bad sign-ups with the API.md error shape', async () => {
    const cases: Array<[unknown, string | undefined]> = [
      [{}, 'email'],
      [{ email: 'not-an-address' }, 'email'],
      [{ email: 'a@example.com', extra: 1 }, undefined],
      [{ email: 'a@example.com', name: '' }, 'name'],
      [{ email: 'a@example.com', name: 'line\nbreak' }, 'name'],
      [[], undefined],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('accounts', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('validation');
      if (field) expect(res.json.error.field).toBe(field);
    }
    expect((await t.api('accounts', { rawBody: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await t.api('accounts', { rawBody: 'email=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
  });
});
