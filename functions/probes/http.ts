import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { VERSION } from '../version.js';
import { openConnection } from './connect.js';
import { excerpt } from './conversation.js';
import { classifyError, ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import { parseTarget, type ProbeTarget } from './target.js';
import { DEFAULT_CERTIFICATE_WARNING_DAYS, startTls } from './tls.js';

// HTTP and HTTPS: one GET over a fresh connection per hop (Connection: close, no agent),
// redirects followed up to a limit with every hop resolved and checked again by the address
// policy. Status 100–399 passes unless `expect.status` lists the accepted codes; keyword
// checks read at most the first MiB of the body. Phases describe the last hop; total
// covers them all.

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = `ServerlessMonitor/${VERSION} (uptime probe)`;

type HttpExpect = ExpectFor<'http'>;

const noop = (): void => {};

/** Opens the hop's connection and sends the request; resolves with the response head. */
async function send(run: ProbeRun, url: URL, host: string, port: number, expect: HttpExpect): Promise<IncomingMessage> {
  let socket: Socket = await openConnection(run, host, port);
  if (url.protocol === 'https:') socket = await startTls(run, socket, host, expect.certificateWarningDays ?? DEFAULT_CERTIFICATE_WARNING_DAYS);
  run.stage = 'exchange';
  run.activity = `waiting for the response from ${url.host}`;
  let sentAt = performance.now();
  socket.once('data', () => {
    run.phases.firstByte = run.since(sentAt);
  });
  const outgoing = request({
    createConnection: () => socket,
    method: 'GET',
    path: `${url.pathname}${url.search}`,
    setHost: false,
    headers: { host: url.host, 'user-agent': USER_AGENT, accept: '*/*', connection: 'close' },
  });
  // Node writes the request right after 'socket' (a tick later): the clock starts there,
  // as curl's time_pretransfer does, not while the request object is being built.
  outgoing.once('socket', () => {
    sentAt = performance.now();
  });
  // Errors after the probe has its answer (the socket destroyed under a finished request) are nobody's business.
  outgoing.on('error', noop);
  outgoing.end();
  return run.wait<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
    return () => {
      outgoing.off('response', resolve);
      outgoing.off('error', reject);
    };
  });
}

/** Up to `MAX_BODY_BYTES` of the body; `truncated` when the body was longer. */
function readBody(run: ProbeRun, response: IncomingMessage): Promise<{ body: Buffer; truncated: boolean }> {
  run.activity = 'reading the response body';
  response.on('error', noop);
  const chunks: Buffer[] = [];
  let size = 0;
  return run.wait((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) resolve({ body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES), truncated: true });
    };
    const onEnd = (): void => resolve({ body: Buffer.concat(chunks), truncated: false });
    const onCut = (): void => {
      if (!response.complete) reject(new ProbeFailure('protocol', `the server closed the connection after ${size} bytes of the body`));
    };
    response.on('data', onData);
    response.once('end', onEnd);
    response.once('error', onCut);
    response.once('close', onCut);
    return () => {
      response.off('data', onData);
      response.off('end', onEnd);
      response.off('error', onCut);
      response.off('close', onCut);
    };
  });
}

function nextHop(current: URL, location: string): { url: URL; host: string; port: number } {
  let absolute: URL;
  try {
    absolute = new URL(location, current);
  } catch {
    throw new ProbeFailure('protocol', `redirect to an invalid URL "${excerpt(location)}"`);
  }
  const scheme = absolute.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') throw new ProbeFailure('protocol', `redirect to unsupported ${scheme}: URL`);
  absolute.username = '';
  absolute.password = '';
  const parsed = parseTarget(scheme, absolute.href);
  if (!parsed.ok || parsed.target.kind !== 'url') throw new ProbeFailure('protocol', `redirect to an invalid URL: ${parsed.ok ? location : parsed.message}`);
  return parsed.target;
}

function checkStatus(response: IncomingMessage, expect: HttpExpect): void {
  const status = response.statusCode ?? 0;
  const accepted = expect.status ? expect.status.includes(status) : status >= 100 && status < 400;
  if (accepted) return;
  const reason = response.statusMessage ? ` ${response.statusMessage}` : '';
  const wanted = expect.status ? ` (expected ${expect.status.join(', ')})` : '';
  throw new ProbeFailure('status', `HTTP ${status}${reason}${wanted}`);
}

async function checkBody(run: ProbeRun, response: IncomingMessage, expect: HttpExpect): Promise<void> {
  const { body, truncated } = await readBody(run, response);
  if (expect.keyword === undefined && expect.absent === undefined) return;
  const text = body.toString('utf8');
  const where = truncated ? `the first ${MAX_BODY_BYTES / 1024 / 1024} MiB of the body` : 'the body';
  if (expect.keyword !== undefined && !text.includes(expect.keyword)) throw new ProbeFailure('content', `${where} does not contain "${expect.keyword}"`);
  if (expect.absent !== undefined && text.includes(expect.absent)) throw new ProbeFailure('content', `${where} contains "${expect.absent}"`);
}

/** Each hop is reported afresh: phases, status and certificate belong to the connection that answered. */
function startHop(run: ProbeRun): void {
  run.phases.dns = run.phases.connect = run.phases.tls = run.phases.firstByte = null;
  run.connected = false;
  delete run.findings.status;
  delete run.findings.server;
  delete run.findings.certificateExpiresAt;
  delete run.findings.warning;
}

/** A failure of a later hop says where the redirects led, or "blocked" would be a riddle. */
function redirected(error: unknown, redirects: number, url: URL, run: ProbeRun): ProbeFailure {
  const failure = classifyError(error, run.stage);
  const hops = redirects === 1 ? 'a redirect' : `${redirects} redirects`;
  return new ProbeFailure(failure.errorClass, `after ${hops} to ${url.href}: ${failure.message}`, failure.code);
}

export async function probeHttp(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'url' }>, expect: HttpExpect): Promise<void> {
  const maxRedirects = expect.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let hop: { url: URL; host: string; port: number } = target;
  for (let redirects = 0; ; redirects++) {
    startHop(run);
    const response = await send(run, hop.url, hop.host, hop.port, expect).catch((error: unknown) => {
      throw redirects === 0 ? error : redirected(error, redirects, hop.url, run);
    });
    const status = response.statusCode ?? 0;
    run.findings.status = status;
    const server = response.headers.server;
    if (server) run.findings.server = excerpt(String(server), 200);
    const location = response.headers.location;
    if (maxRedirects > 0 && REDIRECT_STATUSES.has(status) && location !== undefined) {
      if (redirects >= maxRedirects) throw new ProbeFailure('protocol', `more than ${maxRedirects} redirects (the last to ${excerpt(location)})`);
      hop = nextHop(hop.url, location);
      response.destroy();
      continue;
    }
    checkStatus(response, expect);
    await checkBody(run, response, expect);
    return;
  }
}
