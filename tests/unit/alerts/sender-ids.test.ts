import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFailure, parseRetryAfter } from '../../../functions/alerts/message.js';
import { deliveryIdFor, requestIdFor } from '../../../functions/alerts/sender.js';

describe('delivery ids', () => {
  it('derive stable ids and RFC 4122-shaped request ids from the idempotency key', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(20), (key, series) => {
        expect(deliveryIdFor(key)).toMatch(/^[0-9a-f]{32}$/);
        expect(deliveryIdFor(key)).toBe(deliveryIdFor(key));
        expect(requestIdFor(key, series)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(requestIdFor(key, series)).not.toBe(requestIdFor(key, series + 1));
      }),
    );
  });
});

describe('failure classification', () => {
  it('retries throttling freely, 5xx and timeouts only as repeats, and nothing else', () => {
    expect(classifyFailure(429, undefined, 'slow down', 5000)).toMatchObject({ retry: 'safe', retryAfterMs: 5000 });
    expect(classifyFailure(503, undefined, 'x')).toMatchObject({ retry: 'uncertain' });
    expect(classifyFailure(408, undefined, 'x')).toMatchObject({ retry: 'uncertain' });
    expect(classifyFailure(400, undefined, 'x')).toMatchObject({ retry: 'never' });
    expect(classifyFailure(401, undefined, 'x')).toMatchObject({ retry: 'never' });
    expect(classifyFailure(undefined, 'ECONNREFUSED', 'x')).toMatchObject({ retry: 'safe' });
    expect(classifyFailure(undefined, 'ECONNRESET', 'x')).toMatchObject({ retry: 'uncertain' });
    expect(classifyFailure(undefined, 'ERR_SSRF_BLOCKED', 'x')).toMatchObject({ retry: 'never' });
  });

  it('reads Retry-After as seconds or a date', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
