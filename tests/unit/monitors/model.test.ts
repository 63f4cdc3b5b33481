import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, configFromCreate, createMonitorSchema, INTERVALS, patchMonitorSchema } from '../../../functions/monitors/model.js';
import { normalizeTarget, resolverAddress } from '../../../functions/monitors/target.js';
import { MONITOR_TYPES } from '../../../functions/probes/spec.js';

const base = { name: 'Web', type: 'https', target: 'https://example.com/', intervalMinutes: 5 } as const;

describe('monitor model', () => {
  it('fills defaults and stores one spelling of the target', () => {
    const config = configFromCreate(createMonitorSchema.parse({ ...base, target: 'https://EXAMPLE.com/x#top' }));
    expect(config).toMatchObject({ target: 'https://example.com/x', timeoutSeconds: 10, alertDelayMinutes: 2, repeatMinutes: 15, recoveryPasses: 1, public: false, regions: null, escalation: null, paused: false, expect: {} });
  });

  it('accepts only the five intervals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 100 }), (n) => {
        expect(createMonitorSchema.safeParse({ ...base, intervalMinutes: n }).success).toBe((INTERVALS as readonly number[]).includes(n));
      }),
    );
  });

  it('sorts escalation steps by time and drops repeated channels', () => {
    const c = 'c' + 'a'.repeat(20);
    const d = 'c' + 'b'.repeat(20);
    const config = configFromCreate(
      createMonitorSchema.parse({ ...base, escalation: [{ afterMinutes: 30, channels: [d] }, { afterMinutes: 0, channels: [c, c] }] }),
    );
    expect(config.escalation).toEqual([{ afterMinutes: 0, channels: [c] }, { afterMinutes: 30, channels: [d] }]);
  });

  it('validates a patch against the whole monitor', () => {
    const config = configFromCreate(createMonitorSchema.parse({ ...base, expect: { keyword: 'OK' } }));
    const retarget = applyPatch(config, patchMonitorSchema.parse({ type: 'ssh' }));
    expect(retarget.ok).toBe(false);
    const retyped = applyPatch(config, patchMonitorSchema.parse({ type: 'ssh', target: 'example.com' }));
    expect(retyped.ok && retyped.config).toMatchObject({ type: 'ssh', target: 'example.com', expect: {} });
    const reset = applyPatch({ ...config, regions: ['eastus'] }, patchMonitorSchema.parse({ regions: null, expect: null }));
    expect(reset.ok && reset.config).toMatchObject({ regions: null, expect: {} });
  });

  it('never throws on any input, for any type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MONITOR_TYPES), fc.jsonValue(), fc.string(), (type, expectValue, target) => {
        const parsed = createMonitorSchema.safeParse({ ...base, type, target, expect: expectValue });
        if (parsed.success) expect(normalizeTarget(type, target).ok).toBe(true);
      }),
    );
  });
});

describe('targets', () => {
  it.each([
    ['http', 'http://Example.com:8080/a?b=c#d', 'http://example.com:8080/a?b=c'],
    ['https', 'https://münchen.de/', 'https://xn--mnchen-3ya.de/'],
    ['tcp', 'db.example.com:5432', 'db.example.com:5432'],
    ['ssh', '[2001:DB8:0::1]:2222', '[2001:db8::1]:2222'],
    ['ssh', '2001:db8::1', '2001:db8::1'],
    ['smtp', 'Mail.Example.com.', 'mail.example.com'],
    ['dns', '_dmarc.example.com', '_dmarc.example.com'],
    ['ping', '192.0.2.1', '192.0.2.1'],
  ] as const)('%s %s → %s', (type, raw, stored) => {
    const result = normalizeTarget(type, raw);
    expect(result.ok && result.value.target).toBe(stored);
  });

  it.each([
    ['http', 'https://example.com/'],
    ['https', 'https://u:p@example.com/'],
    ['tcp', 'example.com'],
    ['tcp', 'example.com:0'],
    ['ssh', '[fe80::1%eth0]:22'],
    ['ftp', '999.1.1.1'],
    ['ping', 'exa mple.com'],
  ] as const)('%s %s is refused', (type, raw) => {
    expect(normalizeTarget(type, raw).ok).toBe(false);
  });

  it('reads a DNS monitor resolver address', () => {
    expect(resolverAddress('9.9.9.9')).toBe('9.9.9.9');
    expect(resolverAddress('9.9.9.9:5353')).toBe('9.9.9.9');
    expect(resolverAddress('[2620:FE::FE]:53')).toBe('2620:fe::fe');
    expect(resolverAddress('dns.example.com')).toBeUndefined();
    expect(resolverAddress('9.9.9.9:99999')).toBeUndefined();
  });
});
