import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { blockedReason } from '../probes/address-policy.js';
import type { Expect, MonitorType } from '../probes/spec.js';
import { resolverAddress, type NormalTarget } from './target.js';

// The SSRF policy at save time (DESIGN.md, Security). The probe checks every address again
// at every connection, so this check is the early, friendly answer, not the only guard:
// - an address literal is checked as it is;
// - a name is resolved, and refused when any address it resolves to is blocked;
// - a name that does not resolve (yet, or our resolver is failing) is accepted: the monitor
//   may watch a host that is still being set up, and its probes will report `dns` failures
//   (or `blocked`, if it later resolves to a blocked address) instead;
// - a dns monitor's name is only looked up, never connected to, so only its resolver
//   (`expect.server`, an address) is checked.

export type Resolve = (host: string) => Promise<string[]>;

const RESOLVE_TIMEOUT_MS = 3000;

/** The probe's way (c-ares A and AAAA, not getaddrinfo), so a save-time answer matches what probes will see. */
export const systemResolve: Resolve = async (host) => {
  const resolver = new dns.Resolver({ timeout: RESOLVE_TIMEOUT_MS, tries: 1 });
  const answers = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  return answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
};

export interface TargetRefusal {
  readonly field: string;
  readonly message: string;
}

export async function refuseTarget(
  type: MonitorType,
  target: NormalTarget,
  expect: Expect,
  allowPrivateTargets: boolean,
  resolve: Resolve = systemResolve,
): Promise<TargetRefusal | undefined> {
  if (type === 'dns') {
    const server = (expect as { server?: string }).server;
    if (server === undefined) return undefined;
    const address = resolverAddress(server);
    if (!address) return { field: 'expect.server', message: 'expected a resolver address: ip, ip:port or [v6]:port' };
    const reason = blockedReason(address, allowPrivateTargets);
    return reason ? { field: 'expect.server', message: `${address} is a ${reason} address that monitors may not use` } : undefined;
  }
  const message = await refuseHost(target.host, allowPrivateTargets, resolve);
  return message ? { field: 'target', message } : undefined;
}

/**
 * Why a host may not be connected to (an address literal, or a name resolving to a blocked
 * address), or undefined when it may. Also used for webhook channels.
 */
export async function refuseHost(host: string, allowPrivateTargets: boolean, resolve: Resolve = systemResolve): Promise<string | undefined> {
  // RFC 6761: localhost names are loopback whatever a resolver says; the probe agrees.
  const addresses = isIP(host) ? [host] : /(^|\.)localhost\.?$/i.test(host) ? ['127.0.0.1', '::1'] : await resolveQuietly(resolve, host);
  for (const address of addresses) {
    const reason = blockedReason(address, allowPrivateTargets);
    if (reason) {
      const subject = address === host ? address : `${host} resolves to ${address}, which`;
      return `${subject} is a ${reason} address, which is not allowed`;
    }
  }
  return undefined;
}

/** The addresses of a name, or none when it does not resolve within the time allowed. */
async function resolveQuietly(resolve: Resolve, host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((done) => (timer = setTimeout(() => done([]), RESOLVE_TIMEOUT_MS)));
  try {
    return await Promise.race([resolve(host).catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
