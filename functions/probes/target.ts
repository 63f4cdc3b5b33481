import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { DEFAULT_PORTS, type MonitorType } from './spec.js';

// What a monitor's target means for each type. Monitor validation calls parseTarget so that
// a monitor is accepted only if a probe can use its target; the probe calls it again.

export type ProbeTarget =
  /** http, https: the URL, with the host (brackets removed, IDN as ASCII) and effective port. */
  | { readonly kind: 'url'; readonly url: URL; readonly host: string; readonly port: number }
  /** tcp, ping and the banner protocols. `portGiven` is false when the port is the type's default. */
  | { readonly kind: 'host'; readonly host: string; readonly port: number; readonly portGiven: boolean }
  /** dns: the name (or, for PTR lookups, address) to query. */
  | { readonly kind: 'name'; readonly name: string };

export type ParsedTarget = { readonly ok: true; readonly target: ProbeTarget } | { readonly ok: false; readonly message: string };

const fail = (message: string): ParsedTarget => ({ ok: false, message });

export function parseTarget(type: MonitorType, target: string): ParsedTarget {
  if (target.length === 0 || target.length > 2048) return fail('the target must be 1 to 2048 characters');
  if (/\s/.test(target)) return fail('the target must not contain spaces');
  // A zone id (fe80::1%eth0) names an interface of the probing machine, never a target.
  if (target.includes('%') && type !== 'http' && type !== 'https') return fail('IPv6 zone ids are not accepted');
  switch (type) {
    case 'http':
    case 'https':
      return parseUrl(type, target);
    case 'dns':
      return parseName(target);
    case 'tcp':
      return parseHostPort(target, undefined);
    default:
      return parseHostPort(target, DEFAULT_PORTS[type]);
  }
}

function parseUrl(type: 'http' | 'https', target: string): ParsedTarget {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return fail(`expected a URL such as ${type}://example.com/health`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return fail(`expected an http:// or https:// URL, got ${scheme}://`);
  if (scheme !== type) return fail(`a ${scheme}:// URL needs the monitor type ${scheme}`);
  if (url.username || url.password) return fail('credentials in the URL are not supported');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return fail('the URL has no host');
  if (!isIP(host) && !validHostName(host)) return fail(`"${host}" is not a valid host name`);
  url.hash = '';
  return { ok: true, target: { kind: 'url', url, host, port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80 } };
}

function parseHostPort(target: string, defaultPort: number | undefined): ParsedTarget {
  const example = defaultPort === undefined ? 'host:port, e.g. db.example.com:5432' : `host or host:port, e.g. example.com:${defaultPort}`;
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (isIP(host) !== 6) return fail(`[${host}] is not an IPv6 address`);
  } else if (isIP(target) === 6) {
    // A bare IPv6 address cannot carry a port: "::1:22" is itself an address.
    host = target;
  } else {
    const colon = target.lastIndexOf(':');
    host = colon === -1 ? target : target.slice(0, colon);
    portText = colon === -1 ? undefined : target.slice(colon + 1);
    if (host.includes(':') || host.includes('/')) return fail(`expected ${example}`);
  }
  if (portText === undefined && defaultPort === undefined) return fail(`a port is needed: expected ${example}`);
  const port = portText === undefined ? defaultPort! : Number(portText);
  if (!/^\d{1,5}$/.test(portText ?? String(port)) || port < 1 || port > 65535) return fail(`the port must be 1 to 65535: expected ${example}`);
  const ascii = isIP(host) ? host : toAsciiHost(host);
  if (ascii === undefined) return fail(`"${host}" is not a valid host name: expected ${example}`);
  return { ok: true, target: { kind: 'host', host: ascii, port, portGiven: portText !== undefined } };
}

function parseName(target: string): ParsedTarget {
  if (isIP(target)) return { ok: true, target: { kind: 'name', name: target } };
  const name = toAsciiHost(target);
  if (name === undefined) return fail(`"${target}" is not a valid domain name`);
  return { ok: true, target: { kind: 'name', name } };
}

/** The host in ASCII (IDNs punycoded, lower case), or undefined when it is not a host name. */
function toAsciiHost(host: string): string | undefined {
  const ascii = domainToASCII(host);
  return ascii && validHostName(ascii) ? ascii : undefined;
}

// Letters, digits, hyphens; underscores too, since service names (_sip._tcp) are real names.
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

function validHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}
