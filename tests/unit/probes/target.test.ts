import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MONITOR_TYPES, type MonitorType } from '../../../functions/probes/spec.js';
import { parseTarget, type ProbeTarget } from '../../../functions/probes/target.js';

function target(type: MonitorType, text: string): ProbeTarget {
  const parsed = parseTarget(type, text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse for ${type}: ${parsed.message}`);
  return parsed.target;
}

function rejection(type: MonitorType, text: string): string {
  const parsed = parseTarget(type, text);
  if (parsed.ok) throw new Error(`expected ${text} to be rejected for ${type}`);
  return parsed.message;
}

describe('parseTarget for http and https', () => {
  it('takes URLs whose scheme matches the type', () => {
    expect(target('https', 'https://Example.COM/health?x=1#frag')).toMatchObject({ kind: 'url', host: 'example.com', port: 443 });
    expect(target('http', 'http://example.com:8080/')).toMatchObject({ kind: 'url', host: 'example.com', port: 8080 });
    expect(target('http', 'http://[::1]:8080/')).toMatchObject({ kind: 'url', host: '::1', port: 8080 });
    expect(target('https', 'https://bücher.example/')).toMatchObject({ host: 'xn--bcher-kva.example' });
    const parsed = target('https', 'https://example.com/a#frag');
    expect(parsed.kind === 'url' && parsed.url.href).toBe('https://example.com/a');
  });

  it('rejects other schemes, missing hosts and credentials with a message', () => {
    expect(rejection('http', 'https://example.com/')).toContain('type https');
    expect(rejection('https', 'ftp://example.com/')).toContain('http:// or https://');
    expect(rejection('http', 'example.com')).toContain('URL');
    expect(rejection('https', 'https://user:secret@example.com/')).toContain('credentials');
    expect(rejection('http', 'http://exa mple.com/')).toContain('spaces');
    expect(rejection('http', 'http://bad_host!.com/')).toBeTruthy();
  });
});

describe('parseTarget for host:port types', () => {
  it('applies the default port of the type when none is given', () => {
    expect(target('smtp', 'mail.example.com')).toEqual({ kind: 'host', host: 'mail.example.com', port: 25, portGiven: false });
    expect(target('imap', 'mail.example.com:993')).toEqual({ kind: 'host', host: 'mail.example.com', port: 993, portGiven: true });
    expect(target('ssh', '192.0.2.1')).toMatchObject({ host: '192.0.2.1', port: 22 });
    expect(target('ping', 'example.com')).toMatchObject({ port: 443, portGiven: false });
    expect(target('ftp', 'ftp.example.com')).toMatchObject({ port: 21 });
    expect(target('pop3', 'mail.example.com')).toMatchObject({ port: 110 });
    expect(target('telnet', 'router.example.com')).toMatchObject({ port: 23 });
  });

  it('needs a port for tcp', () => {
    expect(rejection('tcp', 'db.example.com')).toContain('port');
    expect(target('tcp', 'db.example.com:5432')).toMatchObject({ host: 'db.example.com', port: 5432 });
  });

  it('reads IPv6 addresses with and without brackets', () => {
    expect(target('tcp', '[2001:db8::1]:8443')).toMatchObject({ host: '2001:db8::1', port: 8443, portGiven: true });
    expect(target('ssh', '[::1]')).toMatchObject({ host: '::1', port: 22 });
    expect(target('ssh', '2001:db8::1:22')).toMatchObject({ host: '2001:db8::1:22', port: 22, portGiven: false });
    expect(rejection('tcp', '[example.com]:80')).toContain('IPv6');
    expect(rejection('tcp', '[fe80::1%eth0]:22')).toContain('zone');
    expect(rejection('ping', 'fe80::1%eth0')).toContain('zone');
    expect(rejection('http', 'http://[fe80::1%25eth0]/')).toBeTruthy();
  });

  it('rejects bad ports, URLs and junk', () => {
    for (const bad of ['example.com:0', 'example.com:65536', 'example.com:', 'example.com:http', 'example.com:-1', 'http://example.com:80', 'a..b:80', '-a.com:80', 'a b:80', '']) {
      expect(parseTarget('tcp', bad).ok, bad).toBe(false);
    }
  });

  it('accepts IDNs as punycode, and refuses invalid punycode', () => {
    expect(target('smtp', 'mail.bücher.example')).toMatchObject({ host: 'mail.xn--bcher-kva.example' });
    expect(target('smtp', 'mail.xn--bcher-kva.example')).toMatchObject({ host: 'mail.xn--bcher-kva.example' });
    expect(rejection('smtp', 'mail.xn--a.example')).toContain('not a valid host name');
  });

  it('reads numeric hosts as IPv4 the way browsers do, so the address policy sees the address', () => {
    expect(target('tcp', '2130706433:80')).toMatchObject({ host: '127.0.0.1' });
    expect(target('tcp', '0x7f.1:80')).toMatchObject({ host: '127.0.0.1' });
  });

  it('round-trips every host and port', () => {
    // Labels start with a letter: an all-digit last label makes the host an IPv4 address.
    // "xn--" labels are punycode and mostly invalid as random text: tested above instead.
    const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/).filter((l) => !l.startsWith('xn--'));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), (labels, port) => {
        const host = labels.join('.');
        expect(target('tcp', `${host}:${port}`)).toEqual({ kind: 'host', host, port, portGiven: true });
      }),
    );
  });
});

describe('parseTarget for dns', () => {
  it('takes names, service names and addresses (for PTR)', () => {
    expect(target('dns', 'example.com')).toEqual({ kind: 'name', name: 'example.com' });
    expect(target('dns', '_dmarc.example.com')).toEqual({ kind: 'name', name: '_dmarc.example.com' });
    expect(target('dns', 'example.com.')).toEqual({ kind: 'name', name: 'example.com.' });
    expect(target('dns', '192.0.2.1')).toEqual({ kind: 'name', name: '192.0.2.1' });
    expect(rejection('dns', 'https://example.com/')).toContain('domain name');
    expect(rejection('dns', `${'a'.repeat(64)}.com`)).toContain('domain name');
  });
});

describe('parseTarget on anything', () => {
  it('never throws and answers with a target or a message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MONITOR_TYPES), fc.string({ maxLength: 80 }), (type, text) => {
        const parsed = parseTarget(type, text);
        expect(parsed.ok || parsed.message.length > 0).toBe(true);
      }),
    );
  });
});
