import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertMessage, gsm7Length, SMS_SEGMENT, summarize, type AlertContent } from '../../../functions/incidents/messages.js';
import type { Verdict } from '../../../functions/incidents/verdict.js';

// Alert messages: what they say, and that an SMS always fits one GSM-7 segment.

const verdict: Verdict = {
  monitorId: 'mabcdefghijklmnopqrst',
  minute: 29_500_000,
  at: '2026-02-01T10:00:00.000Z',
  outcome: 'fail',
  reports: [
    { region: 'westeurope', ok: false, trusted: true, error: { class: 'timeout', message: 'no answer within 10000 ms', code: 'ETIMEDOUT' }, phases: { dns: 1.25, connect: 12.5, tls: null, firstByte: null, total: 10000 } },
    { region: 'eastus', ok: false, trusted: true, status: 503, error: { class: 'status', message: 'HTTP 503' }, phases: { dns: 2, connect: 30, tls: 40, firstByte: 80.44, total: 81 } },
    { region: 'japaneast', ok: false, trusted: false, error: { class: 'connect', message: 'ENETUNREACH' }, phases: { dns: null, connect: null, tls: null, firstByte: null, total: 1 } },
  ],
};

const content = (over: Partial<AlertContent> = {}): AlertContent => ({
  kind: 'failure',
  monitor: { id: verdict.monitorId, name: 'Shop front', type: 'https', target: 'https://shop.example.com/health' },
  incidentId: `${verdict.monitorId}-29500000`,
  openedAt: verdict.at,
  at: '2026-02-01T10:02:00.000Z',
  sequence: 2,
  failure: summarize(verdict),
  publicBaseUrl: 'https://sm-app-weu-x7k2.azurewebsites.net',
  ...over,
});

const dest = (kind: 'email' | 'sms' | 'webhook', address: string) => ({ accountId: 'a1', channel: { id: 'c1', kind, address } });

describe('alert messages', () => {
  it('an email names the monitor, what failed, the failing trusted regions, their phases, and links to the incident', () => {
    const m = alertMessage(content(), dest('email', 'ops@example.com'));
    expect(m).toMatchObject({ channel: 'email', to: 'ops@example.com', subject: 'DOWN: Shop front', destination: { accountId: 'a1', channelId: 'c1' } });
    expect(m.text).toContain('Shop front (https https://shop.example.com/health) is failing since 2026-02-01T10:00:00.000Z');
    expect(m.text).toContain('What failed: timeout: no answer within 10000 ms (ETIMEDOUT)');
    expect(m.text).toContain('Failing from: westeurope, eastus');
    expect(m.text).not.toContain('japaneast'); // untrusted this cycle: not evidence
    expect(m.text).toContain('phases: dns 1.3 ms, connect 12.5 ms, tls -, first byte -, total 10000 ms');
    expect(m.text).toContain('eastus: status: HTTP 503 (status 503)');
    expect(m.text).toContain('Alert 2 of at most 4');
    expect(m.text).toContain('https://sm-app-weu-x7k2.azurewebsites.net/api/incidents/mabcdefghijklmnopqrst-29500000');
  });

  it('a recovery email says since when and links to the incident', () => {
    const m = alertMessage(content({ kind: 'recovery', at: '2026-02-01T10:42:00.000Z' }), dest('email', 'ops@example.com'));
    expect(m.subject).toBe('RECOVERED: Shop front');
    expect(m.text).toContain('Down since 2026-02-01T10:00:00.000Z, recovered at 2026-02-01T10:42:00.000Z');
  });

  it('a webhook carries the facts as data', () => {
    const m = alertMessage(content(), { accountId: 'a1', channel: { id: 'c1', kind: 'webhook', address: 'https://hooks.example.com/x', signingSecret: 'whsec_x' } });
    expect(m.data).toMatchObject({ type: 'incident.failure', sequence: 2, monitor: { name: 'Shop front' }, incident: { id: content().incidentId } });
    expect(m.signingSecret).toBe('whsec_x');
  });

  it('an SMS fits one GSM-7 segment and keeps the link', () => {
    const m = alertMessage(content(), dest('sms', '+14155550100'));
    expect(m.text).toBe(`DOWN 2/4: Shop front\ntimeout ETIMEDOUT from westeurope,eastus\n${content().publicBaseUrl}/api/incidents/${content().incidentId}`);
    expect(gsm7Length(m.text)).toBeLessThanOrEqual(SMS_SEGMENT);
    const up = alertMessage(content({ kind: 'recovery', at: '2026-02-01T10:42:00.000Z' }), dest('sms', '+14155550100'));
    expect(up.text.split('\n')[0]).toBe('UP: Shop front recovered after 42 min');
  });

  it('any monitor name, any error, any number of regions: still one segment, GSM-7 only', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme' }),
        fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/), { minLength: 0, maxLength: 20 }),
        fc.string({ maxLength: 300 }),
        fc.constantFrom('failure', 'recovery'),
        (name, regions, message, kind) => {
          const failure = { minute: 1, at: verdict.at, regions: regions.map((region) => ({ region, error: { class: 'protocol' as const, message, code: 'EPROTO{}' }, phases: verdict.reports[0]!.phases })) };
          const m = alertMessage(content({ kind: kind as 'failure' | 'recovery', monitor: { ...content().monitor, name }, failure }), dest('sms', '+14155550100'));
          const length = gsm7Length(m.text);
          expect(length).toBeDefined();
          expect(length!).toBeLessThanOrEqual(SMS_SEGMENT);
          expect(m.text).toContain('/api/incidents/');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts GSM-7 extension characters twice and refuses what needs UCS-2', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('a{b}')).toBe(6);
    expect(gsm7Length('€')).toBe(2);
    expect(gsm7Length('😀')).toBeUndefined();
  });
});
