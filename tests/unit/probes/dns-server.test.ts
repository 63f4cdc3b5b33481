import { describe, expect, it } from 'vitest';
import { parseDnsServer } from '../../../functions/probes/dns.js';

describe('parseDnsServer', () => {
  it('reads ip, ip:port, [v6]:port and bare v6', () => {
    expect(parseDnsServer('192.0.2.53')).toEqual({ address: '192.0.2.53', port: 53 });
    expect(parseDnsServer('192.0.2.53:5353')).toEqual({ address: '192.0.2.53', port: 5353 });
    expect(parseDnsServer('[2001:db8::53]:5353')).toEqual({ address: '2001:db8::53', port: 5353 });
    expect(parseDnsServer('2001:db8::53')).toEqual({ address: '2001:db8::53', port: 53 });
  });

  it('refuses names and bad ports', () => {
    for (const bad of ['dns.example.com', '192.0.2.53:0', '192.0.2.53:70000', '[dns]:53', '']) expect(parseDnsServer(bad), bad).toBeUndefined();
  });
});
