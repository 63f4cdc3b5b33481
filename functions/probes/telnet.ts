import { openConnection } from './connect.js';
import { excerpt } from './conversation.js';
import { receiveText } from './receive.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// Telnet (RFC 854): the port accepts a connection; with `expect.banner`, the text the server
// shows (its login banner) must contain it. Servers open with option negotiation
// (IAC DO/WILL …) and many wait for answers before they show the banner, so the probe
// refuses every option — the plainest terminal there is — and reads the text in between.

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const MAX_PENDING_BYTES = 4096;

/** Separates telnet commands from text across chunks and answers option requests once each. */
export class TelnetFilter {
  private pending: Buffer = Buffer.alloc(0);
  private readonly answered = new Set<number>();

  /** The text bytes of `chunk`, and the negotiation answers to send back. */
  feed(chunk: Buffer): { text: Buffer; reply: Buffer } {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const text: number[] = [];
    const reply: number[] = [];
    let i = 0;
    while (i < data.length) {
      const byte = data[i]!;
      if (byte !== IAC) {
        text.push(byte);
        i++;
        continue;
      }
      if (i + 1 >= data.length) break;
      const command = data[i + 1]!;
      if (command === IAC) {
        text.push(IAC);
        i += 2;
      } else if (command >= WILL && command <= DONT) {
        if (i + 2 >= data.length) break;
        this.answer(command, data[i + 2]!, reply);
        i += 3;
      } else if (command === SB) {
        const end = data.indexOf(Buffer.from([IAC, SE]), i + 2);
        if (end === -1) break;
        i = end + 2;
      } else {
        i += 2;
      }
    }
    const rest = data.subarray(i);
    // An unterminated subnegotiation that keeps growing is not worth holding on to.
    this.pending = rest.length > MAX_PENDING_BYTES ? Buffer.alloc(0) : Buffer.from(rest);
    return { text: Buffer.from(text), reply: Buffer.from(reply) };
  }

  private answer(command: number, option: number, reply: number[]): void {
    if (command !== DO && command !== WILL) return;
    const key = command * 256 + option;
    if (this.answered.has(key)) return;
    this.answered.add(key);
    reply.push(IAC, command === DO ? WONT : DONT, option);
  }
}

export async function probeTelnet(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'telnet'>): Promise<void> {
  const socket = await openConnection(run, target.host, target.port);
  if (expect.banner !== undefined) {
    const filter = new TelnetFilter();
    const text = await receiveText(run, socket, expect.banner, 'the banner', (chunk) => {
      const { text: bytes, reply } = filter.feed(chunk);
      if (reply.length > 0) socket.write(reply);
      return bytes;
    });
    run.findings.server = excerpt(text, 200);
  }
  socket.end();
}
