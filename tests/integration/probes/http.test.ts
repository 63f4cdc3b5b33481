import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../functions/probes/index.js';
import type { ProbeOptions, ProbeRequest } from '../../../functions/probes/spec.js';
import { startDnsServer, type DnsTestServer } from '../../support/servers/dns.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';
import type { TestServer } from '../../support/servers/server.js';
import { refusingPort, unresponsivePort } from '../../support/servers/unreachable.js';

let server: HttpTestServer;
let dns: DnsTestServer;
let refusing: TestServer;
let options: ProbeOptions;

beforeAll(async () => {
  [server, refusing] = await Promise.all([startHttpServer(), refusingPort()]);
  dns = await startDnsServer({
    'web.test': { A: ['127.0.0.1'] },
    'metadata.test': { A: ['169.254.169.254'] },
    'internal.test': { A: ['10.1.2.3'] },
  });
  options = { allowPrivateTargets: true, dnsServers: [dns.server] };
});

afterAll(async () => {
  await Promise.all([server?.close(), dns?.close(), refusing?.close()]);
});

const get = (path: string, expect: ProbeRequest['expect'] = undefined, timeoutMs = 5000): ProbeRequest => ({
  type: 'http',
  target: `${server.url}${path}`,
  timeoutMs,
  ...(expect ? { expect } : {}),
});

describe('http probe', () => {
  it('passes on 200 and reports status, address, server and phases', async () => {
    const outcome = await probe(get('/'), options);
    expect(outcome).toMatchObject({ ok: true, status: 200, remoteAddress: '127.0.0.1', server: 'test-server/1.0' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.phases.dns).toBeNull();
    expect(outcome.phases.tls).toBeNull();
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.firstByte).toBeGreaterThan(0);
    expect(outcome.phases.total).toBeGreaterThanOrEqual(outcome.phases.connect! + outcome.phases.firstByte!);
  });

  it('resolves names and reports the dns phase', async () => {
    const outcome = await probe({ type: 'http', target: `http://web.test:${server.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: true, status: 200, remoteAddress: '127.0.0.1' });
    expect(outcome.phases.dns).toBeGreaterThan(0);
    expect(dns.queries).toContain('web.test A');
  });

  it('fails 4xx and 5xx with class status, and passes 1xx-3xx', async () => {
    for (const status of [400, 404, 500, 503]) {
      const outcome = await probe(get(`/status/${status}`), options);
      expect(outcome, String(status)).toMatchObject({ ok: false, status, error: { class: 'status' } });
    }
    const notModified = await probe(get('/redirect?status=304&to=/'), options);
    expect(notModified).toMatchObject({ ok: true, status: 304 });
  });

  it('honours expect.status over the default', async () => {
    expect(await probe(get('/status/503', { status: [503] }), options)).toMatchObject({ ok: true, status: 503 });
    const outcome = await probe(get('/', { status: [204] }), options);
    expect(outcome).toMatchObject({ ok: false, status: 200, error: { class: 'status' } });
    expect(outcome.error?.message).toContain('expected 204');
  });

  it('checks keyword and absent on the body', async () => {
    expect(await probe(get('/', { keyword: 'test server' }), options)).toMatchObject({ ok: true });
    expect(await probe(get('/', { keyword: 'missing words' }), options)).toMatchObject({ ok: false, error: { class: 'content' } });
    expect(await probe(get('/', { absent: 'test server' }), options)).toMatchObject({ ok: false, error: { class: 'content' } });
    expect(await probe(get('/', { absent: 'Fatal error' }), options)).toMatchObject({ ok: true });
  });

  it('reads at most 1 MiB of the body for keyword checks', async () => {
    const outcome = await probe(get('/large?kib=2048&tail=needle', { keyword: 'needle' }), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'content' } });
    expect(outcome.error?.message).toContain('first 1 MiB');
    expect(await probe(get('/large?kib=16&tail=needle', { keyword: 'needle' }), options)).toMatchObject({ ok: true });
  });

  it('times out on a server that never answers, after connecting (no code)', async () => {
    const outcome = await probe(get('/hang', undefined, 1000), options);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toEqual({ class: 'timeout', message: expect.stringContaining('waiting for the response') });
    expect(outcome.phases.connect).not.toBeNull();
  });

  it('times out with ETIMEDOUT when the connection is never established', async () => {
    const silent = await unresponsivePort();
    try {
      const outcome = await probe({ type: 'http', target: `http://127.0.0.1:${silent.port}/`, timeoutMs: 300 }, options);
      expect(outcome).toMatchObject({ ok: false, error: { class: 'timeout', code: 'ETIMEDOUT' } });
      expect(outcome.phases.connect).toBeNull();
    } finally {
      await silent.close();
    }
  });

  it('reports a refused port as class connect, ECONNREFUSED', async () => {
    const outcome = await probe({ type: 'http', target: `http://127.0.0.1:${refusing.port}/`, timeoutMs: 5000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'connect', code: 'ECONNREFUSED' }, remoteAddress: '127.0.0.1' });
  });

  it('fails with class protocol when the server closes before answering', async () => {
    const outcome = await probe(get('/close'), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'protocol' } });
  });

  it('fails with class protocol when the server closes in the middle of the body', async () => {
    const outcome = await probe(get('/truncated'), options);
    expect(outcome).toMatchObject({ ok: false, status: 200, error: { class: 'protocol' } });
    expect(outcome.error?.message).toContain('after 10 bytes');
  });

  it('opens a fresh connection for every probe', async () => {
    const before = server.connections();
    await Promise.all([probe(get('/'), options), probe(get('/'), options), probe(get('/'), options)]);
    expect(server.connections() - before).toBe(3);
  });

  it('rejects a target of the wrong scheme without throwing', async () => {
    const outcome = await probe({ type: 'https', target: server.url, timeoutMs: 1000 }, options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'protocol' } });
    expect(outcome.error?.message).toContain('invalid target');
  });
});

describe('http redirects', () => {
  it('follows redirects and reports the final answer', async () => {
    const to = encodeURIComponent(`${server.url}/redirect?to=/text%3Fbody%3Dlanded&status=301`);
    const outcome = await probe(get(`/redirect?to=${to}`, { keyword: 'landed' }), options);
    expect(outcome).toMatchObject({ ok: true, status: 200 });
  });

  it('reports the 3xx itself with maxRedirects 0', async () => {
    expect(await probe(get('/redirect?to=/status/500', { maxRedirects: 0 }), options)).toMatchObject({ ok: true, status: 302 });
    expect(await probe(get('/redirect?to=/status/500'), options)).toMatchObject({ ok: false, status: 500, error: { class: 'status' } });
  });

  it('stops a redirect loop at the limit', async () => {
    const outcome = await probe(get('/loop', { maxRedirects: 3 }), options);
    expect(outcome).toMatchObject({ ok: false, status: 302, error: { class: 'protocol' } });
    expect(outcome.error?.message).toContain('more than 3 redirects');
  });

  it('blocks a redirect to the cloud metadata address, even with private targets allowed', async () => {
    const before = server.requests.length;
    const outcome = await probe(get(`/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'blocked' }, remoteAddress: '169.254.169.254' });
    expect(outcome.error?.message).toContain('after a redirect to http://169.254.169.254/');
    expect(server.requests.length - before).toBe(1);
  });

  it('checks the address a redirect resolves to, not only its name', async () => {
    const outcome = await probe(get(`/redirect?to=${encodeURIComponent('http://metadata.test/')}`), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'blocked' }, remoteAddress: '169.254.169.254' });
    expect(dns.queries).toContain('metadata.test A');
  });

  it('blocks private targets and private redirect hops when private targets are not allowed', async () => {
    const strict: ProbeOptions = { allowPrivateTargets: false, dnsServers: [dns.server] };
    const before = server.connections();
    expect(await probe(get('/'), strict)).toMatchObject({ ok: false, error: { class: 'blocked' }, remoteAddress: '127.0.0.1' });
    expect(await probe({ type: 'http', target: 'http://internal.test/', timeoutMs: 2000 }, strict)).toMatchObject({
      ok: false,
      error: { class: 'blocked', message: expect.stringContaining('internal.test resolves to 10.1.2.3') },
    });
    expect(server.connections()).toBe(before);
  });
});
