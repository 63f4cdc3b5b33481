import { describe, expect, it } from 'vitest';
import { blockedReason } from '../../../functions/probes/address-policy.js';

describe('blockedReason', () => {
  it('allows public addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::8.8.8.8', '64:ff9b::808:808']) {
      expect(blockedReason(address, false), address).toBeUndefined();
    }
  });

  it('blocks internal ranges unless private targets are allowed', () => {
    const internal: Array<[string, string]> = [
      ['127.0.0.1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['169.254.1.1', 'link-local (cloud metadata)'],
      ['0.0.0.0', 'this network'],
      ['224.0.0.1', 'multicast'],
      ['::1', 'loopback'],
      ['fd12:3456::1', 'unique local (private)'],
      ['fe80::1', 'link-local'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      // The hex form of a mapped address, as a resolver may return it, and NAT64.
      ['::ffff:a00:1', 'private'],
      ['::FFFF:7F00:1', 'loopback'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['64:ff9b::c0a8:101', 'private'],
      ['0:0:0:0:0:ffff:a9fe:101', 'link-local (cloud metadata)'],
    ];
    for (const [address, reason] of internal) {
      expect(blockedReason(address, false), address).toBe(reason);
      expect(blockedReason(address, true), address).toBeUndefined();
    }
  });

  it('always blocks the cloud metadata and wire server addresses', () => {
    for (const address of ['169.254.169.254', '168.63.129.16', '::ffff:169.254.169.254', 'FD00:EC2::254']) {
      expect(blockedReason(address, true), address).toBe('cloud metadata service');
    }
  });

  it('refuses what is not an address', () => {
    expect(blockedReason('example.com', true)).toBe('not an IP address');
  });

  it('judges the metadata service by the IPv4 address an IPv6 form reaches, even with private targets allowed', () => {
    for (const address of ['::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe']) {
      expect(blockedReason(address, true), address).toBe('cloud metadata service');
    }
  });
});
