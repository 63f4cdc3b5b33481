import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TelnetFilter } from '../../../functions/probes/telnet.js';

const IAC = 255;
const bytes = (...values: Array<number | string>): Buffer => Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v) : Buffer.from([v]))));

describe('TelnetFilter', () => {
  it('removes negotiation and refuses every requested option once', () => {
    const filter = new TelnetFilter();
    const { text, reply } = filter.feed(bytes(IAC, 251, 1, 'Hel', IAC, 253, 24, 'lo', IAC, 251, 1));
    expect(text.toString()).toBe('Hello');
    expect([...reply]).toEqual([IAC, 254, 1, IAC, 252, 24]);
  });

  it('keeps escaped 0xFF, drops subnegotiation and two-byte commands, ignores WONT/DONT', () => {
    const filter = new TelnetFilter();
    const { text, reply } = filter.feed(bytes('a', IAC, IAC, 'b', IAC, 250, 24, 1, IAC, 240, 'c', IAC, 241, IAC, 252, 3, IAC, 254, 1, 'd'));
    expect([...text]).toEqual([97, 255, 98, 99, 100]);
    expect(reply.length).toBe(0);
  });

  it('holds a command split across chunks until it is complete', () => {
    const filter = new TelnetFilter();
    expect(filter.feed(bytes('x', IAC)).text.toString()).toBe('x');
    const second = filter.feed(bytes(253));
    expect(second.text.length + second.reply.length).toBe(0);
    const third = filter.feed(bytes(31, 'y'));
    expect(third.text.toString()).toBe('y');
    expect([...third.reply]).toEqual([IAC, 252, 31]);
  });

  it('gives the same text however the stream is split', () => {
    const stream = bytes('login', IAC, 251, 1, IAC, 250, 24, 0, IAC, 240, ': ', IAC, IAC, IAC, 253, 3, 'ok');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const filter = new TelnetFilter();
        let text = Buffer.alloc(0);
        let start = 0;
        for (const end of [...points, stream.length]) {
          text = Buffer.concat([text, filter.feed(stream.subarray(start, end)).text]);
          start = end;
        }
        expect([...text]).toEqual([...Buffer.from('login: '), 255, ...Buffer.from('ok')]);
      }),
    );
  });
});
