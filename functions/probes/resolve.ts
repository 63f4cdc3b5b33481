import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { blockedReason } from './address-policy.js';
import { classifyError, errorCode, ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';

// Name resolution for probes, and the SSRF check of what it returns (DESIGN.md, Security).
// Names go to c-ares (dns.Resolver), not getaddrinfo: a query can be cancelled when the
// probe's deadline passes, and thousands of probes never queue behind libuv's four
// threadpool threads. The price: /etc/hosts is not read, so "localhost" is answered here
// (RFC 6761) rather than by the system.

/** c-ares per-try timeout and tries: two tries ride out one lost UDP packet within a typical probe budget. */
const RESOLVER_OPTIONS = { timeout: 2000, tries: 2 } as const;

/** A resolver of this probe, cancelled when the probe finishes. `servers` default to the system's. */
export function createResolver(run: ProbeRun, servers: readonly string[] | undefined): dns.Resolver {
  const resolver = new dns.Resolver(RESOLVER_OPTIONS);
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  run.onFinish(() => resolver.cancel());
  return resolver;
}

function isLocalhost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** IPv4 first: Azure Functions have no outbound IPv6, and most targets are reachable either way. */
async function lookup(run: ProbeRun, host: string): Promise<string[]> {
  if (isLocalhost(host)) return ['127.0.0.1', '::1'];
  const resolver = createResolver(run, run.options.dnsServers);
  try {
    return await run.settle(resolver.resolve4(host));
  } catch (error) {
    // Only a name that exists without A records is worth a second question.
    if (errorCode(error) !== 'ENODATA') throw error;
  }
  return run.settle(resolver.resolve6(host));
}

/**
 * The addresses of `host` that the address policy lets this probe connect to, in the order
 * to try them. A name whose every address is blocked fails with class `blocked`; records
 * the dns phase (null for an address literal).
 */
export async function resolveTarget(run: ProbeRun, host: string): Promise<string[]> {
  run.stage = 'dns';
  run.activity = `resolving ${host}`;
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    const start = performance.now();
    try {
      addresses = await lookup(run, host);
    } catch (error) {
      const failure = classifyError(error, 'dns');
      if (failure.errorClass !== 'dns') throw failure;
      throw new ProbeFailure('dns', `cannot resolve ${host}: ${failure.message}`, failure.code);
    } finally {
      run.phases.dns = run.since(start);
    }
  }
  const allowed = addresses.filter((address) => blockedReason(address, run.options.allowPrivateTargets) === undefined);
  if (allowed.length === 0) {
    const first = addresses[0]!;
    run.findings.remoteAddress = first;
    const reason = blockedReason(first, run.options.allowPrivateTargets) ?? 'blocked';
    const subject = first === host ? first : `${host} resolves to ${first}, which`;
    throw new ProbeFailure('blocked', `${subject} is a ${reason} address that monitors may not probe`);
  }
  return allowed;
}
