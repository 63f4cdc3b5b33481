import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../functions/probes/index.js';
import type { ProbeOptions, ProbeRequest } from '../../../functions/probes/spec.js';
import { startFtpServer, startSshServer, startTelnetServer } from '../../support/servers/banners.js';
import { startLineServer } from '../../support/servers/line-server.js';
import { closeServer, Connections, listen, type TestServer } from '../../support/servers/server.js';
import { refusingPort, unresponsivePort } from '../../support/servers/unreachable.js';

const options: ProbeOptions = { allowPrivateTargets: true };
const servers: TestServer[] = [];

async function track<S extends TestServer>(server: Promise<S>): Promise<S> {
  const started = await server;
  servers.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const request = (type: ProbeRequest['type'], target: string, expect?: ProbeRequest['expect'], timeoutMs = 5000): ProbeRequest => ({
  type,
  target,
  timeoutMs,
  ...(expect ? { expect } : {}),
});

/** A TCP echo server: answers every chunk with "echo: <chunk>". */
async function startEchoServer(): Promise<TestServer> {
  const connections = new Connections();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('data', (chunk) => socket.write(`echo: ${chunk.toString()}`));
  });
  const port = await listen(server);
  return { host: '127.0.0.1', port, close: () => closeServer(server, connections) };
}

describe('ftp probe', () => {
  it('passes on a (multi-line) 220 greeting and reports it', async () => {
    const ftp = await track(startFtpServer());
    const outcome = await probe(request('ftp', `127.0.0.1:${ftp.port}`), options);
    expect(outcome).toMatchObject({ ok: true, status: 220, server: 'Welcome to the test FTP service Test FTP server ready' });
    expect(outcome.phases.firstByte).toBeGreaterThan(0);
    await expect.poll(() => ftp.lines, { timeout: 10_000 }).toEqual(['QUIT']);
  });

  it('fails a 421 greeting with class status', async () => {
    const ftp = await track(startFtpServer({ greeting: ['421 Too many users, try later'] }));
    expect(await probe(request('ftp', `127.0.0.1:${ftp.port}`), options)).toMatchObject({ ok: false, status: 421, error: { class: 'status' } });
  });

  it('checks the banner text', async () => {
    const ftp = await track(startFtpServer());
    expect(await probe(request('ftp', `127.0.0.1:${ftp.port}`, { banner: 'Test FTP' }), options)).toMatchObject({ ok: true });
    expect(await probe(request('ftp', `127.0.0.1:${ftp.port}`, { banner: 'vsFTPd' }), options)).toMatchObject({ ok: false, error: { class: 'content' } });
  });

  it('fails with class protocol on a server that is not FTP, and times out on a silent one', async () => {
    const ssh = await track(startSshServer());
    expect(await probe(request('ftp', `127.0.0.1:${ssh.port}`), options)).toMatchObject({ ok: false, error: { class: 'protocol' } });
    const silent = await track(startLineServer({ greet: () => {} }));
    const outcome = await probe(request('ftp', `127.0.0.1:${silent.port}`, undefined, 1000), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'timeout', message: expect.stringContaining('the FTP greeting') } });
    expect(outcome.error?.code).toBeUndefined();
  });
});

describe('ssh probe', () => {
  it('reads the identification and reports the server software', async () => {
    const ssh = await track(startSshServer());
    const outcome = await probe(request('ssh', `localhost:${ssh.port}`), options);
    expect(outcome).toMatchObject({ ok: true, server: 'OpenSSH_9.2p1 Debian-2+deb12u3' });
    expect(outcome.status).toBeUndefined();
    await expect.poll(() => ssh.lines, { timeout: 10_000 }).toEqual([expect.stringMatching(/^SSH-2\.0-ServerlessMonitor_/)]);
  });

  it('skips lines before the identification and accepts SSH-1.99', async () => {
    const ssh = await track(startSshServer({ preamble: ['Welcome', 'Authorized use only'], identification: 'SSH-1.99-Cisco-1.25' }));
    expect(await probe(request('ssh', `localhost:${ssh.port}`, { banner: 'Cisco' }), options)).toMatchObject({ ok: true, server: 'Cisco-1.25' });
  });

  it('fails SSH protocol 1 and non-SSH servers with class protocol', async () => {
    const old = await track(startSshServer({ identification: 'SSH-1.5-OldServer' }));
    expect(await probe(request('ssh', `localhost:${old.port}`), options)).toMatchObject({ ok: false, error: { class: 'protocol' } });
    const ftp = await track(startFtpServer());
    expect(await probe(request('ssh', `localhost:${ftp.port}`, undefined, 1000), options)).toMatchObject({
      ok: false,
      error: { class: 'protocol', message: expect.stringContaining('Test FTP server ready') },
    });
  });
});

describe('telnet probe', () => {
  it('passes when the port accepts a connection', async () => {
    const telnet = await track(startTelnetServer());
    const outcome = await probe(request('telnet', `127.0.0.1:${telnet.port}`), options);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.phases.firstByte).toBeNull();
  });

  it('answers option negotiation with refusals and matches the banner that follows', async () => {
    const telnet = await track(startTelnetServer({ banner: 'Router R1 (authorized access only)' }));
    const outcome = await probe(request('telnet', `127.0.0.1:${telnet.port}`, { banner: 'Router R1' }), options);
    expect(outcome).toMatchObject({ ok: true, server: expect.stringContaining('Router R1') });
    expect(outcome.server).not.toMatch(/\uFFFD|\xFF/);
    // IAC DONT ECHO, IAC WONT TERMINAL-TYPE, IAC DONT SUPPRESS-GO-AHEAD.
    expect([...telnet.answers()]).toEqual([255, 254, 1, 255, 252, 24, 255, 254, 3]);
  });

  it('reports a banner that does not match as class content', async () => {
    const telnet = await track(startTelnetServer({ banner: 'Welcome', closeAfterBanner: true }));
    const outcome = await probe(request('telnet', `127.0.0.1:${telnet.port}`, { banner: 'Router R1' }), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'content', message: expect.stringContaining('Welcome') } });
  });
});

describe('tcp probe', () => {
  let refusing: TestServer;
  beforeAll(async () => {
    refusing = await track(refusingPort());
  });

  it('passes when the port accepts, and needs a port', async () => {
    const echo = await track(startEchoServer());
    const outcome = await probe(request('tcp', `127.0.0.1:${echo.port}`), options);
    expect(outcome).toMatchObject({ ok: true, remoteAddress: '127.0.0.1' });
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(await probe(request('tcp', '127.0.0.1'), options)).toMatchObject({ ok: false, error: { class: 'protocol', message: expect.stringContaining('port') } });
  });

  it('sends expect.send and waits for expect.receive', async () => {
    const echo = await track(startEchoServer());
    const outcome = await probe(request('tcp', `127.0.0.1:${echo.port}`, { send: 'PING\r\n', receive: 'echo: PING' }), options);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.phases.firstByte).toBeGreaterThan(0);
    const oneLiner = await track(
      startLineServer({
        greet: (session) => {
          session.send('HELLO');
          session.end();
        },
      }),
    );
    const wrong = await probe(request('tcp', `127.0.0.1:${oneLiner.port}`, { receive: 'PONG' }), options);
    expect(wrong).toMatchObject({ ok: false, error: { class: 'content', message: expect.stringContaining('HELLO') } });
  });

  it('fails a refused port with class connect and IPv6 brackets parse', async () => {
    expect(await probe(request('tcp', `127.0.0.1:${refusing.port}`), options)).toMatchObject({ ok: false, error: { class: 'connect', code: 'ECONNREFUSED' } });
    const v6 = await probe(request('tcp', `[::1]:${refusing.port}`), options);
    expect(v6.error?.class).toBe('connect');
    expect(v6.remoteAddress).toBe('::1');
  });

  it('times out with ETIMEDOUT when the connection is never established', async () => {
    const silent = await track(unresponsivePort());
    const outcome = await probe(request('tcp', `127.0.0.1:${silent.port}`, undefined, 300), options);
    expect(outcome).toMatchObject({ ok: false, error: { class: 'timeout', code: 'ETIMEDOUT' } });
  });

  it('fails every type at once in an isolated region', async () => {
    const echo = await track(startEchoServer());
    const outcome = await probe(request('tcp', `127.0.0.1:${echo.port}`), { allowPrivateTargets: true, isolated: true });
    expect(outcome).toMatchObject({ ok: false, error: { class: 'connect', code: 'ENETUNREACH', message: expect.stringContaining('isolated') } });
  });
});

describe('ping probe (TCP connect)', () => {
  it('passes when the given port accepts and fails when it refuses', async () => {
    const echo = await track(startEchoServer());
    const outcome = await probe(request('ping', `localhost:${echo.port}`), options);
    expect(outcome).toMatchObject({ ok: true, remoteAddress: '127.0.0.1' });
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.firstByte).toBeNull();
    const refusing = await track(refusingPort());
    expect(await probe(request('ping', `localhost:${refusing.port}`), options)).toMatchObject({ ok: false, error: { class: 'connect', code: 'ECONNREFUSED' } });
  });

  it('is blocked for loopback when private targets are not allowed', async () => {
    expect(await probe(request('ping', 'localhost'), { allowPrivateTargets: false })).toMatchObject({ ok: false, error: { class: 'blocked' } });
  });
});
