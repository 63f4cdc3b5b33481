import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { DEFAULT_PORTS, type MonitorType } from '../probes/spec.js';

// What a monitor's `target` may be, per type (API.md): a URL for http/https, `host:port` for
// tcp and the banner protocols (the port defaults per protocol), a host for ping and dns.
// Targets are stored in one normal form, so the probe and the SSRF check read them alike.

export interface NormalTarget {
  /** The target as stored: `https://example.com/health`, `mail.example.com:25`, `[2001:db8::1]:22`, `example.com`. */
  readonly target: string;
  /** Host name (lower case, ASCII) or IP address (IPv6 without brackets). */
  readonly host: string;
  /** undefined for ping and dns. */
  readonly port?: number;
}

export type TargetCheck = { readonly ok: true; readonly value: NormalTarget } | { readonly ok: false; readonly message: string };

const MAX_URL_LENGTH = 2048;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// DNS names (not host names) may carry underscores: _dmarc.example.com, _sip._tcp.example.com.
const DNS_LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

export function normalizeTarget(type: MonitorType, raw: string): TargetCheck {
  const text = raw.trim();
  if (!text) return fail('the target is empty');
  switch (type) {
    case 'http':
    case 'https':
      return urlTarget(type, text);
    case 'ping':
    case 'dns':
      return hostOnlyTarget(text, type === 'dns');
    case 'tcp':
      return hostPortTarget(text, undefined);
    default:
      return hostPortTarget(text, DEFAULT_PORTS[type]);
  }
}

/** A host name or IP literal in normal form, or undefined when it is neither. */
export function normalizeHost(raw: string, allowUnderscore = false): string | undefined {
  const bracketed = /^\[(.*)\]$/.exec(raw);
  const v6 = bracketed ? bracketed[1]! : raw;
  // Zone ids (fe80::1%eth0) name an interface of this machine: never a monitor target.
  if (isIP(v6) === 6) return v6.includes('%') ? undefined : canonicalIPv6(v6);
  if (bracketed) return undefined;
  if (isIP(raw) === 4) return raw;
  const name = raw.replace(/\.$/, '');
  if (!name || name.length > 253 || /[\s/\\@?#%:]/.test(name)) return undefined;
  // Internationalized names become punycode (münchen.de → xn--mnchen-3ya.de); bad ones become ''.
  const ascii = domainToASCII(name).toLowerCase();
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  const pattern = allowUnderscore ? DNS_LABEL : LABEL;
  if (!labels.every((l) => pattern.test(l))) return undefined;
  // 1.2.3 or 999.1.1.1 is a mistyped address, not a name: no top-level domain is numeric.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return undefined;
  return ascii;
}

/** One spelling per address (2001:DB8:0::1 → 2001:db8::1), so equal targets compare equal. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function urlTarget(type: 'http' | 'https', text: string): TargetCheck {
  if (text.length > MAX_URL_LENGTH) return fail(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`expected a URL such as ${type}://example.com/health`);
  }
  if (url.protocol !== `${type}:`) return fail(`a ${type} monitor needs a ${type}:// URL`);
  if (url.username || url.password) return fail('credentials in the URL are not accepted');
  // WHATWG parsing already turned 0x7f.1 into 127.0.0.1 and names into punycode.
  const host = normalizeHost(url.hostname);
  if (!host) return fail('the URL has no valid host');
  url.hash = '';
  return ok({ target: url.href, host, port: url.port ? Number(url.port) : type === 'https' ? 443 : 80 });
}

function hostOnlyTarget(text: string, dnsName: boolean): TargetCheck {
  const host = normalizeHost(text, dnsName);
  if (!host) return fail(dnsName ? 'expected a domain name such as example.com' : 'expected a host name or IP address, without a port');
  return ok({ target: host, host });
}

function hostPortTarget(text: string, defaultPort: number | undefined): TargetCheck {
  const example = defaultPort === undefined ? 'host:port, e.g. example.com:5432' : `host or host:port, e.g. example.com:${defaultPort}`;
  let hostPart: string;
  let portPart: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (v6) {
    hostPart = `[${v6[1]}]`;
    portPart = v6[2];
  } else if (isIP(text) === 6) {
    hostPart = text; // a bare IPv6 address: its colons are not a port
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0 && text.indexOf(':') !== colon) return fail(`write IPv6 addresses in brackets: [2001:db8::1]:${defaultPort ?? 443}`);
    hostPart = colon >= 0 ? text.slice(0, colon) : text;
    portPart = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  const host = normalizeHost(hostPart);
  if (!host) return fail(`expected ${example}`);
  let port = defaultPort;
  if (portPart !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portPart) || Number(portPart) < 1 || Number(portPart) > 65535) return fail('the port must be 1–65535');
    port = Number(portPart);
  }
  if (port === undefined) return fail(`a port is needed: ${example}`);
  return ok({ target: `${isIP(host) === 6 ? `[${host}]` : host}:${port}`, host, port });
}

function ok(value: NormalTarget): TargetCheck {
  return { ok: true, value };
}

function fail(message: string): TargetCheck {
  return { ok: false, message };
}
