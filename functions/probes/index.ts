import { probeDns } from './dns.js';
import { ProbeFailure } from './errors.js';
import { probeFtp } from './ftp.js';
import { probeHttp } from './http.js';
import { probeImap } from './imap.js';
import { probePing } from './ping.js';
import { probePop3 } from './pop3.js';
import { ProbeRun } from './run.js';
import { probeSmtp } from './smtp.js';
import { EXPECT_SCHEMAS, type ProbeOptions, type ProbeOutcome, type ProbeRequest } from './spec.js';
import { probeSsh } from './ssh.js';
import { parseTarget, type ProbeTarget } from './target.js';
import { probeTcp } from './tcp.js';
import { probeTelnet } from './telnet.js';

// The probe engine's entry point: one probe of one target, answered as an outcome. It never
// throws and never rejects: every failure, including a bad request, is an outcome with an
// error class. The whole probe, redirects and all, fits in request.timeoutMs.

export { isLocalFault, ProbeFailure } from './errors.js';
export { parseTarget, type ParsedTarget, type ProbeTarget } from './target.js';

const MAX_TIMEOUT_MS = 120_000;

function hostTarget(target: ProbeTarget): Extract<ProbeTarget, { kind: 'host' }> {
  if (target.kind !== 'host') throw new ProbeFailure('protocol', 'this monitor type needs a host:port target');
  return target;
}

function expectFor<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ProbeFailure('protocol', `invalid expectations for this monitor type: ${parsed.error.message}`);
  return parsed.data;
}

async function dispatch(run: ProbeRun, request: ProbeRequest, target: ProbeTarget): Promise<void> {
  switch (request.type) {
    case 'http':
    case 'https':
      if (target.kind !== 'url') throw new ProbeFailure('protocol', 'HTTP monitors need a URL target');
      return probeHttp(run, target, expectFor(EXPECT_SCHEMAS.http, request.expect));
    case 'dns':
      if (target.kind !== 'name') throw new ProbeFailure('protocol', 'DNS monitors need a name target');
      return probeDns(run, target.name, expectFor(EXPECT_SCHEMAS.dns, request.expect));
    case 'tcp':
      return probeTcp(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.tcp, request.expect));
    case 'ping':
      expectFor(EXPECT_SCHEMAS.ping, request.expect);
      return probePing(run, hostTarget(target));
    case 'ftp':
      return probeFtp(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.ftp, request.expect));
    case 'smtp':
      return probeSmtp(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.smtp, request.expect));
    case 'pop3':
      return probePop3(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.pop3, request.expect));
    case 'imap':
      return probeImap(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.imap, request.expect));
    case 'telnet':
      return probeTelnet(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.telnet, request.expect));
    case 'ssh':
      return probeSsh(run, hostTarget(target), expectFor(EXPECT_SCHEMAS.ssh, request.expect));
  }
}

async function attempt(run: ProbeRun, request: ProbeRequest): Promise<ProbeOutcome> {
  try {
    if (run.options.isolated) {
      throw new ProbeFailure('connect', 'this region is isolated (local fault injection): it has no network', 'ENETUNREACH');
    }
    const parsed = parseTarget(request.type, request.target);
    if (!parsed.ok) throw new ProbeFailure('protocol', `invalid target: ${parsed.message}`);
    await dispatch(run, request, parsed.target);
    return run.outcome();
  } catch (error) {
    return run.outcome(error);
  }
}

/** Probes one target once. Resolves with the outcome, whatever happens; leaves no socket or timer behind. */
export async function probe(request: ProbeRequest, options: ProbeOptions): Promise<ProbeOutcome> {
  const timeoutMs = Number.isFinite(request.timeoutMs) ? Math.min(Math.max(request.timeoutMs, 1), MAX_TIMEOUT_MS) : MAX_TIMEOUT_MS;
  const run = new ProbeRun(timeoutMs, options);
  const outcome = await attempt(run, request);
  try {
    run.finish();
  } catch {
    // Closing is best effort; the outcome stands either way.
  }
  return outcome;
}
