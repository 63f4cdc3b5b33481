import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../functions/probes/index.js';
import type { ProbeOptions, ProbeRequest } from '../../../functions/probes/spec.js';
import { startImapServer, startPop3Server } from '../../support/servers/banners.js';
import { testCertificates, type TestCertificates } from '../../support/servers/certificates.js';
import type { TestServer } from '../../support/servers/server.js';
import { startSmtpServer } from '../../support/servers/smtp.js';

let certificates: TestCertificates;
let options: ProbeOptions;
const servers: TestServer[] = [];

async function track<S extends TestServer>(server: Promise<S>): Promise<S> {
  const started = await server;
  servers.push(started);
  return started;
}

beforeAll(async () => {
  certificates = await testCertificates();
  options = { allowPrivateTargets: true, ca: [certificates.ca] };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const request = (type: ProbeRequest['type'], port: number, expect?: ProbeRequest['expect']): ProbeRequest => ({
  type,
  target: `localhost:${port}`,
  timeoutMs: 5000,
  ...(expect ? { expect } : {}),
});

describe('smtp probe', () => {
  it('upgrades with STARTTLS when offered and reports the greeting', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.valid }));
    const outcome = await probe(request('smtp', smtp.port), options);
    expect(outcome).toMatchObject({ ok: true, status: 220, server: expect.stringContaining('mail.test ESMTP Test mail service') });
    expect(outcome.phases.tls).toBeGreaterThan(0);
    expect(outcome.phases.firstByte).toBeGreaterThan(0);
    expect(outcome.certificateExpiresAt).toBeDefined();
    await expect.poll(() => smtp.secureSessions(), { timeout: 10_000 }).toBe(1);
    expect(smtp.clientNames[0]).toBe('[127.0.0.1]');
  });

  it('passes without TLS when the server offers none and tls is auto', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.valid, starttls: false }));
    const outcome = await probe(request('smtp', smtp.port), options);
    expect(outcome).toMatchObject({ ok: true, status: 220 });
    expect(outcome.phases.tls).toBeNull();
  });

  it('fails with class tls when STARTTLS is required but not offered', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.valid, starttls: false }));
    const outcome = await probe(request('smtp', smtp.port, { tls: 'starttls' }), options);
    expect(outcome).toMatchObject({ ok: false, status: 220, error: { class: 'tls', message: expect.stringContaining('does not offer STARTTLS') } });
  });

  it('fails with class tls when the STARTTLS certificate has expired', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.expired }));
    const outcome = await probe(request('smtp', smtp.port), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls', code: 'CERT_HAS_EXPIRED' } });
  });

  it('skips STARTTLS with tls off', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.expired }));
    const outcome = await probe(request('smtp', smtp.port, { tls: 'off' }), options);
    expect(outcome).toMatchObject({ ok: true, status: 220 });
    expect(outcome.phases.tls).toBeNull();
  });

  it('speaks TLS from the first byte with tls implicit', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.valid, implicitTls: true }));
    const outcome = await probe(request('smtp', smtp.port, { tls: 'implicit' }), options);
    expect(outcome).toMatchObject({ ok: true, status: 220 });
    expect(outcome.phases.tls).toBeGreaterThan(0);
  });

  it('checks the banner text', async () => {
    const smtp = await track(startSmtpServer({ certificate: certificates.valid }));
    expect(await probe(request('smtp', smtp.port, { banner: 'Test mail' }), options)).toMatchObject({ ok: true });
    expect(await probe(request('smtp', smtp.port, { banner: 'Postfix' }), options)).toMatchObject({ ok: false, error: { class: 'content' } });
  });

  it('fails with class protocol when the server is not SMTP', async () => {
    const pop3 = await track(startPop3Server());
    expect(await probe(request('smtp', pop3.port), options)).toMatchObject({ ok: false, error: { class: 'protocol' } });
  });
});

describe('imap probe', () => {
  it('passes on "* OK" and upgrades with STARTTLS when offered', async () => {
    const imap = await track(startImapServer({ starttls: certificates.valid }));
    const outcome = await probe(request('imap', imap.port), options);
    expect(outcome).toMatchObject({ ok: true, server: '* OK Test IMAP server ready' });
    expect(outcome.phases.tls).toBeGreaterThan(0);
    await expect.poll(() => imap.lines, { timeout: 10_000 }).toEqual(['a1 CAPABILITY', 'a2 STARTTLS', 'a3 LOGOUT']);
  });

  it('speaks IMAPS (implicit TLS)', async () => {
    const imap = await track(startImapServer({ implicitTls: certificates.valid }));
    const outcome = await probe(request('imap', imap.port, { tls: 'implicit' }), options);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.phases.tls).toBeGreaterThan(0);
    expect(imap.secureSessions()).toBe(1);
  });

  it('fails a required STARTTLS the server lacks, and a "* BYE" greeting', async () => {
    const plain = await track(startImapServer());
    expect(await probe(request('imap', plain.port, { tls: 'starttls' }), options)).toMatchObject({ ok: false, error: { class: 'tls' } });
    expect(await probe(request('imap', plain.port), options)).toMatchObject({ ok: true });
    const busy = await track(startImapServer({ greeting: '* BYE Too many connections' }));
    expect(await probe(request('imap', busy.port), options)).toMatchObject({ ok: false, error: { class: 'status' } });
  });
});

describe('pop3 probe', () => {
  it('passes on "+OK" and upgrades with STLS when offered', async () => {
    const pop3 = await track(startPop3Server({ starttls: certificates.valid }));
    const outcome = await probe(request('pop3', pop3.port), options);
    expect(outcome).toMatchObject({ ok: true, server: '+OK Test POP3 server ready' });
    expect(outcome.phases.tls).toBeGreaterThan(0);
    await expect.poll(() => pop3.lines, { timeout: 10_000 }).toEqual(['CAPA', 'STLS', 'QUIT']);
  });

  it('speaks POP3S (implicit TLS) and rejects a certificate for another host', async () => {
    const good = await track(startPop3Server({ implicitTls: certificates.valid }));
    expect(await probe(request('pop3', good.port, { tls: 'implicit' }), options)).toMatchObject({ ok: true });
    const wrong = await track(startPop3Server({ implicitTls: certificates.wrongHost }));
    expect(await probe(request('pop3', wrong.port, { tls: 'implicit' }), options)).toMatchObject({
      ok: false,
      error: { class: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
  });

  it('fails a "-ERR" greeting with class status and checks the banner', async () => {
    const refusing = await track(startPop3Server({ greeting: '-ERR maintenance' }));
    expect(await probe(request('pop3', refusing.port), options)).toMatchObject({ ok: false, error: { class: 'status' } });
    const plain = await track(startPop3Server());
    expect(await probe(request('pop3', plain.port, { banner: 'POP3 server' }), options)).toMatchObject({ ok: true });
    expect(await probe(request('pop3', plain.port, { banner: 'Dovecot' }), options)).toMatchObject({ ok: false, error: { class: 'content' } });
  });
});
