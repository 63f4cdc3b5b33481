import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalFault, probe } from '../../../functions/probes/index.js';
import type { ProbeOptions, ProbeRequest } from '../../../functions/probes/spec.js';
import { startDnsServer, type DnsTestServer } from '../../support/servers/dns.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';
import { refusingUdpPort } from '../../support/servers/unreachable.js';
import type { TestServer } from '../../support/servers/server.js';

let dns: DnsTestServer;
let web: HttpTestServer;
let closedDns: TestServer;

beforeAll(async () => {
  [web, closedDns] = await Promise.all([startHttpServer(), refusingUdpPort()]);
  dns = await startDnsServer({
    'example.test': {
      A: ['192.0.2.10', '192.0.2.11'],
      AAAA: ['2001:db8::10'],
      MX: [{ preference: 10, exchange: 'mail.example.test' }],
      TXT: [['v=spf1 ', '-all'], 'google-site-verification=abc'],
      NS: ['ns1.example.test'],
      SOA: [{ mname: 'ns1.example.test', rname: 'hostmaster.example.test', serial: 2026112201, refresh: 3600, retry: 600, expire: 86400, minimum: 300 }],
      CAA: [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }],
    },
    'www.example.test': { CNAME: ['example.test'] },
    '_sip._tcp.example.test': { SRV: [{ priority: 10, weight: 5, port: 5060, target: 'sip.example.test' }] },
    '10.2.0.192.in-addr.arpa': { PTR: ['host10.example.test'] },
    'web.test': { A: ['127.0.0.1'] },
    'broken.test': 'servfail',
    'silent.test': 'drop',
  });
});

afterAll(async () => {
  await Promise.all([dns?.close(), web?.close(), closedDns?.close()]);
});

const options: ProbeOptions = { allowPrivateTargets: true };
const query = (target: string, expect: ProbeRequest['expect'] = {}, timeoutMs = 5000): ProbeRequest => ({
  type: 'dns',
  target,
  timeoutMs,
  expect: { server: dns.server, ...expect },
});

describe('dns probe', () => {
  it('resolves A records by default and reports answers, server and the dns phase', async () => {
    const outcome = await probe(query('example.test'), options);
    expect(outcome).toMatchObject({ ok: true, answers: ['192.0.2.10', '192.0.2.11'], remoteAddress: '127.0.0.1' });
    expect(outcome.phases.dns).toBeGreaterThan(0);
    expect(outcome.phases.connect).toBeNull();
  });

  it.each([
    ['AAAA', 'example.test', ['2001:db8::10']],
    ['MX', 'example.test', ['10 mail.example.test']],
    ['TXT', 'example.test', ['v=spf1 -all', 'google-site-verification=abc']],
    ['NS', 'example.test', ['ns1.example.test']],
    ['SOA', 'example.test', ['ns1.example.test hostmaster.example.test 2026112201 3600 600 86400 300']],
    ['CAA', 'example.test', ['0 issue "letsencrypt.org"']],
    ['CNAME', 'www.example.test', ['example.test']],
    ['SRV', '_sip._tcp.example.test', ['10 5 5060 sip.example.test']],
    ['PTR', '192.0.2.10', ['host10.example.test']],
  ] as const)('answers %s records', async (recordType, name, answers) => {
    expect(await probe(query(name, { recordType }), options)).toMatchObject({ ok: true, answers });
  });

  it('checks the expected value, case-insensitively', async () => {
    expect(await probe(query('example.test', { recordType: 'MX', value: 'MAIL.example.test' }), options)).toMatchObject({ ok: true });
    expect(await probe(query('example.test', { value: '192.0.2.99' }), options)).toMatchObject({
      ok: false,
      answers: ['192.0.2.10', '192.0.2.11'],
      error: { class: 'content' },
    });
  });

  it('fails NXDOMAIN with class dns, ENOTFOUND, and a missing type with ENODATA', async () => {
    expect(await probe(query('nope.test'), options)).toMatchObject({ ok: false, error: { class: 'dns', code: 'ENOTFOUND' } });
    expect(await probe(query('www.example.test', { recordType: 'MX' }), options)).toMatchObject({ ok: false, error: { class: 'dns', code: 'ENODATA' } });
  });

  it("treats the monitor's own server failing as the target failing (no resolver code)", async () => {
    const servfail = await probe(query('broken.test'), options);
    expect(servfail).toMatchObject({ ok: false, error: { class: 'dns' } });
    expect(servfail.error?.code).toBeUndefined();
    const down = await probe({ type: 'dns', target: 'example.test', timeoutMs: 5000, expect: { server: `127.0.0.1:${closedDns.port}` } }, options);
    expect(down).toMatchObject({ ok: false, error: { class: 'connect', code: 'ECONNREFUSED' } });
    const silent = await probe(query('silent.test', {}, 300), options);
    expect(silent).toMatchObject({ ok: false, error: { class: 'timeout' } });
    for (const outcome of [servfail, down, silent]) expect(isLocalFault(outcome.error!)).toBe(false);
  });

  it('treats our own resolver failing as our fault (class dns with the resolver code)', async () => {
    const ours: ProbeOptions = { allowPrivateTargets: true, dnsServers: [dns.server] };
    const servfail = await probe({ type: 'dns', target: 'broken.test', timeoutMs: 5000 }, ours);
    expect(servfail).toMatchObject({ ok: false, error: { class: 'dns', code: 'ESERVFAIL' } });
    const down = await probe({ type: 'dns', target: 'example.test', timeoutMs: 5000 }, { allowPrivateTargets: true, dnsServers: [`127.0.0.1:${closedDns.port}`] });
    expect(down).toMatchObject({ ok: false, error: { class: 'dns', code: 'ECONNREFUSED' } });
    const silent = await probe({ type: 'http', target: `http://silent.test:${web.port}/`, timeoutMs: 300 }, ours);
    expect(silent).toMatchObject({ ok: false, error: { class: 'timeout', code: 'ETIMEDOUT' } });
    for (const outcome of [servfail, down, silent]) expect(isLocalFault(outcome.error!)).toBe(true);
    const nxdomain = await probe({ type: 'http', target: `http://nope.test:${web.port}/`, timeoutMs: 5000 }, ours);
    expect(nxdomain).toMatchObject({ ok: false, error: { class: 'dns', code: 'ENOTFOUND' } });
    expect(isLocalFault(nxdomain.error!)).toBe(false);
  });

  it('blocks a server address outside the policy', async () => {
    const outcome = await probe({ type: 'dns', target: 'example.test', timeoutMs: 2000, expect: { server: '169.254.169.254' } }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'blocked' } });
    const strict = await probe(query('example.test'), { allowPrivateTargets: false });
    expect(strict).toMatchObject({ ok: false, error: { class: 'blocked' } });
  });
});
