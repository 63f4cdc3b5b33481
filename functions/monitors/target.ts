import { isIP } from 'node:net';
import { parseTarget } from '../probes/index.js';
import { parseDnsServer } from '../probes/dns.js';
import type { MonitorType } from '../probes/spec.js';

// What a monitor's `target` may be, per type (API.md): a URL for http/https, `host:port` for
// tcp and the banner protocols (the port defaults per protocol), a host for ping and dns.
// The probe engine's own parser decides, so a monitor is accepted only if it can be probed;
// this module adds one stored spelling per target (lower-case ASCII host, canonical IPv6,
// no URL fragment), so equal targets compare equal.

export interface NormalTarget {
  /** The target as stored: `https://example.com/health`, `mail.example.com:2525`, `[2001:db8::1]:22`, `example.com`. */
  readonly target: string;
  /** Host name (ASCII) or IP address (IPv6 without brackets): what the SSRF check resolves. */
  readonly host: string;
  /** undefined for dns. */
  readonly port?: number;
}

export type TargetCheck = { readonly ok: true; readonly value: NormalTarget } | { readonly ok: false; readonly message: string };

export function normalizeTarget(type: MonitorType, raw: string): TargetCheck {
  const parsed = parseTarget(type, raw.trim());
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const t = parsed.target;
  switch (t.kind) {
    case 'url':
      return { ok: true, value: { target: t.url.href, host: canonicalHost(t.host), port: t.port } };
    case 'host': {
      // Zone ids (fe80::1%eth0) name an interface of the probing machine: never a target.
      if (t.host.includes('%')) return { ok: false, message: 'IPv6 zone ids are not accepted' };
      const host = canonicalHost(t.host);
      const hostText = isIP(host) === 6 && t.portGiven ? `[${host}]` : host;
      return { ok: true, value: { target: t.portGiven ? `${hostText}:${t.port}` : hostText, host, port: t.port } };
    }
    case 'name': {
      if (t.name.includes('%')) return { ok: false, message: 'IPv6 zone ids are not accepted' };
      const host = canonicalHost(t.name);
      return { ok: true, value: { target: host, host } };
    }
  }
}

/** Lower case, no trailing dot, IPv6 in its shortest form (2001:DB8:0::1 → 2001:db8::1). */
export function canonicalHost(host: string): string {
  if (isIP(host) === 6) return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return host.toLowerCase().replace(/\.$/, '');
}

/** A DNS monitor's `expect.server`: `ip`, `ip:port` or `[v6]:port`. The address, or undefined. */
export function resolverAddress(server: string): string | undefined {
  return parseDnsServer(server)?.address;
}

