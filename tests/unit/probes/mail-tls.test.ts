import { describe, expect, it } from 'vitest';
import { mailEndpoint, shouldStartTls } from '../../../functions/probes/mail-tls.js';
import { pingPorts } from '../../../functions/probes/ping.js';

const host = (port: number, portGiven: boolean) => ({ kind: 'host' as const, host: 'mail.example.com', port, portGiven });

describe('mailEndpoint', () => {
  it('speaks implicit TLS on the implicit port, and STARTTLS-when-offered elsewhere', () => {
    expect(mailEndpoint(host(465, true), undefined, 465)).toMatchObject({ port: 465, tls: 'implicit' });
    expect(mailEndpoint(host(25, false), undefined, 465)).toMatchObject({ port: 25, tls: 'auto' });
    expect(mailEndpoint(host(587, true), 'starttls', 465)).toMatchObject({ port: 587, tls: 'starttls' });
  });

  it('moves to the implicit port when implicit TLS is asked without a port', () => {
    expect(mailEndpoint(host(143, false), 'implicit', 993)).toMatchObject({ port: 993, tls: 'implicit' });
    expect(mailEndpoint(host(1993, true), 'implicit', 993)).toMatchObject({ port: 1993, tls: 'implicit' });
  });
});

describe('shouldStartTls', () => {
  it('upgrades when offered in auto and starttls modes, never otherwise', () => {
    expect(shouldStartTls('auto', true, 'STARTTLS')).toBe(true);
    expect(shouldStartTls('auto', false, 'STARTTLS')).toBe(false);
    expect(shouldStartTls('starttls', true, 'STARTTLS')).toBe(true);
    expect(shouldStartTls('off', true, 'STARTTLS')).toBe(false);
    expect(shouldStartTls('implicit', true, 'STARTTLS')).toBe(false);
  });

  it('fails with class tls when required and not offered', () => {
    expect(() => shouldStartTls('starttls', false, 'STLS')).toThrow(expect.objectContaining({ errorClass: 'tls' }));
  });
});

describe('pingPorts', () => {
  it('tries 443 then 80 unless a port is given', () => {
    expect(pingPorts(host(443, false))).toEqual([443, 80]);
    expect(pingPorts(host(8080, true))).toEqual([8080]);
  });
});
