import type { CaaRecord, promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { blockedReason } from './address-policy.js';
import { classifyError, errorCode, ProbeFailure } from './errors.js';
import { createResolver } from './resolve.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';

// A DNS monitor: the name resolves for a record type, at the system resolver or at a given
// server, and one answer contains the expected value. When the monitor names its own server,
// that server is the target: its silence, refusal or SERVFAIL is the target failing, so
// those failures carry no resolver code (the cycle reads resolver codes as our fault).

type RecordType = NonNullable<ExpectFor<'dns'>['recordType']>;

/**
 * `ip`, `ip:port` or `[v6]:port` as the monitor gives it, with the address in canonical form;
 * undefined when it is none of them. Zone ids (`fe80::1%eth0`) name an interface of the
 * machine that probes, which means nothing in Azure: refused. Monitor validation uses this too.
 */
export function parseDnsServer(server: string): { address: string; port: number } | undefined {
  if (server.includes('%')) return undefined;
  const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server) ?? (isIP(server) === 6 ? [server, server] : /^([^:]+)(?::(\d{1,5}))?$/.exec(server));
  if (!match) return undefined;
  const family = isIP(match[1]!);
  const port = match[2] === undefined ? 53 : Number(match[2]);
  if (family === 0 || port < 1 || port > 65535) return undefined;
  const address = family === 6 ? new URL(`http://[${match[1]}]/`).hostname.slice(1, -1) : match[1]!;
  return { address, port };
}

function formatCaa(record: CaaRecord): string {
  const [tag, value] = Object.entries(record).find(([key]) => key !== 'critical') ?? ['', ''];
  return `${record.critical} ${tag} "${String(value)}"`;
}

/** The answers as text, one per record, in the form dig prints them. */
async function query(resolver: dns.Resolver, name: string, type: RecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'NS':
      return resolver.resolveNs(name);
    case 'PTR':
      return isIP(name) ? resolver.reverse(name) : resolver.resolvePtr(name);
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`);
    case 'CAA':
      return (await resolver.resolveCaa(name)).map(formatCaa);
    case 'SOA': {
      const soa = await resolver.resolveSoa(name);
      return [`${soa.nsname} ${soa.hostmaster} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minttl}`];
    }
  }
}

function queryFailure(error: unknown, name: string, type: RecordType, server: string | undefined): ProbeFailure {
  const code = errorCode(error);
  if (code === 'ENOTFOUND') return new ProbeFailure('dns', `${name} does not exist (NXDOMAIN)`, code);
  if (code === 'ENODATA') return new ProbeFailure('dns', `${name} has no ${type} records`, code);
  if (server === undefined) return classifyError(error, 'dns');
  if (code === 'ECONNREFUSED') return new ProbeFailure('connect', `the DNS server ${server} refused the query (nothing listens there)`, code);
  if (code === 'ETIMEOUT') return new ProbeFailure('timeout', `the DNS server ${server} did not answer`);
  return new ProbeFailure('dns', `the DNS server ${server} failed: ${classifyError(error, 'dns').message}`);
}

export async function probeDns(run: ProbeRun, name: string, expect: ExpectFor<'dns'>): Promise<void> {
  const type = expect.recordType ?? 'A';
  let servers = run.options.dnsServers;
  if (expect.server !== undefined) {
    const server = parseDnsServer(expect.server);
    if (!server) throw new ProbeFailure('dns', `"${expect.server}" is not a DNS server address (ip or ip:port)`);
    run.findings.remoteAddress = server.address;
    const reason = blockedReason(server.address, run.options.allowPrivateTargets);
    if (reason) throw new ProbeFailure('blocked', `the DNS server ${server.address} is a ${reason} address that monitors may not probe`);
    servers = [expect.server];
    run.resolverIsTarget = true;
  }
  const resolver = createResolver(run, servers);
  const asked = parseDnsServer(resolver.getServers()[0] ?? '');
  if (asked) run.findings.remoteAddress ??= asked.address;
  run.stage = 'dns';
  run.activity = `querying ${type} records of ${name}`;
  const start = performance.now();
  try {
    run.findings.answers = await run.settle(query(resolver, name, type));
  } catch (error) {
    if (error instanceof ProbeFailure) throw error;
    throw queryFailure(error, name, type, expect.server);
  } finally {
    run.phases.dns = run.since(start);
  }
  const value = expect.value?.toLowerCase();
  if (value !== undefined && !run.findings.answers.some((answer) => answer.toLowerCase().includes(value))) {
    throw new ProbeFailure('content', `no ${type} record of ${name} contains "${expect.value}"`);
  }
}
