import { BlockList, isIP } from 'node:net';

// The SSRF policy (DESIGN.md, Security): monitor targets are untrusted, so a probe resolves
// the name, checks every address it would use, and connects only to a checked address.
// Used at save time (monitor validation) and at probe time (each connection, each redirect).

const blocked = new BlockList();
const ranges: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'this network'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['64:ff9b:1::', 48, 'ipv6', 'local NAT64'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];
for (const [address, prefix, family] of ranges) blocked.addSubnet(address, prefix, family);

/** Azure's instance metadata and wire server addresses, blocked even when private targets are allowed. */
const ALWAYS_BLOCKED = new Set(['169.254.169.254', '168.63.129.16', 'fd00:ec2::254']);

/**
 * Why this address may not be probed, or undefined when it may. An IPv6 address that
 * carries an IPv4 address (IPv4-mapped `::ffff:10.0.0.1` or `::ffff:a00:1`, and the NAT64
 * well-known prefix `64:ff9b::/96`) is judged by the IPv4 address it reaches.
 */
export function blockedReason(address: string, allowPrivateTargets: boolean): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const embedded = embeddedIPv4(address);
    if (embedded) return blockedReason(embedded, allowPrivateTargets);
  }
  if (ALWAYS_BLOCKED.has(address.toLowerCase())) return 'cloud metadata service';
  if (allowPrivateTargets) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (!blocked.check(address, type)) return undefined;
  for (const [range, prefix, rangeFamily, reason] of ranges) {
    if (rangeFamily !== type) continue;
    const one = new BlockList();
    one.addSubnet(range, prefix, rangeFamily);
    if (one.check(address, type)) return reason;
  }
  return 'reserved range';
}

/** The IPv4 address an IPv4-mapped or NAT64 (64:ff9b::/96) IPv6 address stands for. */
function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zeros = (from: number, to: number) => g.slice(from, to).every((n) => n === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !nat64) return undefined;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a trailing dotted quad expanded). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = 8 - left.length - right.length;
  if ((tail === undefined && fill !== 0) || fill < 0) return undefined;
  const groups = [...left, ...Array<string>(fill).fill('0'), ...right].map((h) => parseInt(h, 16));
  return groups.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff) ? groups : undefined;
}
