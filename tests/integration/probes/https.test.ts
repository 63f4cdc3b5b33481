import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../functions/probes/index.js';
import type { ProbeOptions } from '../../../functions/probes/spec.js';
import { testCertificates, type KeyAndCertificate, type TestCertificates } from '../../support/servers/certificates.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';

let certificates: TestCertificates;
let options: ProbeOptions;
const servers: HttpTestServer[] = [];

async function serve(certificate: KeyAndCertificate): Promise<HttpTestServer> {
  const server = await startHttpServer({ tls: certificate });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  certificates = await testCertificates();
  options = { allowPrivateTargets: true, ca: [certificates.ca] };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const DAY_MS = 86_400_000;

describe('https probe', () => {
  it('passes with a valid certificate, reporting the tls phase and expiry', async () => {
    const server = await serve(certificates.valid);
    const outcome = await probe({ type: 'https', target: `https://localhost:${server.port}/`, timeoutMs: 5000, expect: { keyword: 'test server' } }, options);
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(outcome.warning).toBeUndefined();
    expect(outcome.phases.tls).toBeGreaterThan(0);
    expect(outcome.phases.firstByte).toBeGreaterThan(0);
    const expiresIn = Date.parse(outcome.certificateExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(300 * DAY_MS);
  });

  it('accepts a fully qualified name with its trailing dot', async () => {
    const server = await serve(certificates.valid);
    expect(await probe({ type: 'https', target: `https://localhost.:${server.port}/`, timeoutMs: 5000 }, options)).toMatchObject({ ok: true, status: 200 });
  });

  it('accepts an address target when the certificate lists the address', async () => {
    const server = await serve(certificates.valid);
    expect(await probe({ type: 'https', target: server.url, timeoutMs: 5000 }, options)).toMatchObject({ ok: true, status: 200 });
  });

  it('fails an expired certificate with class tls and still reports its expiry', async () => {
    const server = await serve(certificates.expired);
    const outcome = await probe({ type: 'https', target: `https://localhost:${server.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls', code: 'CERT_HAS_EXPIRED' } });
    expect(Date.parse(outcome.certificateExpiresAt!)).toBeLessThan(Date.now());
    expect(outcome.phases.firstByte).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('fails a certificate for another host name with class tls', async () => {
    const server = await serve(certificates.wrongHost);
    const outcome = await probe({ type: 'https', target: `https://localhost:${server.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    expect(outcome.error?.message).toContain('localhost');
  });

  it('fails a certificate from an unknown issuer with class tls', async () => {
    const server = await serve(certificates.selfSigned);
    const outcome = await probe({ type: 'https', target: `https://localhost:${server.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls' } });
  });

  it('does not trust the test CA unless told to', async () => {
    const server = await serve(certificates.valid);
    const outcome = await probe({ type: 'https', target: `https://localhost:${server.port}/`, timeoutMs: 5000 }, { allowPrivateTargets: true });
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls' } });
  });

  it('warns when the certificate expires within the warning window', async () => {
    const server = await serve(certificates.expiringSoon);
    const target = `https://localhost:${server.port}/`;
    const outcome = await probe({ type: 'https', target, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: true, warning: expect.stringContaining('expires in 5 days') });
    const quiet = await probe({ type: 'https', target, timeoutMs: 5000, expect: { certificateWarningDays: 3 } }, options);
    expect(quiet).toMatchObject({ ok: true });
    expect(quiet.warning).toBeUndefined();
  });

  it('fails a plain-HTTP server with class tls', async () => {
    const plain = await startHttpServer();
    servers.push(plain);
    const outcome = await probe({ type: 'https', target: `https://127.0.0.1:${plain.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls' } });
  });

  it('never resumes a TLS session: every probe pays a full handshake', async () => {
    const server = await serve(certificates.valid);
    const target = `https://localhost:${server.port}/`;
    for (let i = 0; i < 3; i++) expect(await probe({ type: 'https', target, timeoutMs: 5000 }, options)).toMatchObject({ ok: true });
    expect(server.connections()).toBe(3);
    expect(server.resumedSessions()).toBe(0);
  });

  it('follows a redirect from http to https and validates the certificate there', async () => {
    const secure = await serve(certificates.expired);
    const plain = await startHttpServer();
    servers.push(plain);
    const to = encodeURIComponent(`https://localhost:${secure.port}/`);
    const outcome = await probe({ type: 'http', target: `${plain.url}/redirect?to=${to}`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'tls', code: 'CERT_HAS_EXPIRED' } });
  });
});
