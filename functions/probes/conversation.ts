import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyError, ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';
import { startTls } from './tls.js';

// A line-based exchange with a server (FTP, SMTP, POP3, IMAP, SSH greetings): read lines
// and numbered replies, send commands, upgrade to TLS in the middle (STARTTLS). The first
// byte of the server's greeting sets the firstByte phase.

const MAX_LINE_BYTES = 4096;
const MAX_REPLY_LINES = 100;

export interface Reply {
  readonly code: number;
  /** The text of every line, codes removed, joined with newlines. */
  readonly text: string;
  readonly lines: readonly string[];
}

export class Conversation {
  private socket!: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private readonly openedAt = performance.now();

  constructor(
    private readonly run: ProbeRun,
    socket: Socket,
  ) {
    run.stage = 'exchange';
    this.attach(socket);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.run.phases.firstByte ??= this.run.since(this.openedAt);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake?.();
  };

  private readonly onError = (error: unknown): void => {
    this.failure = error;
    this.wake?.();
  };

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  private takeLine(): string | undefined {
    const newline = this.buffer.indexOf(0x0a);
    if (newline === -1) return undefined;
    const line = this.buffer.subarray(0, newline).toString('utf8').replace(/\r$/, '');
    this.buffer = this.buffer.subarray(newline + 1);
    return line;
  }

  /** The next line from the server, without its line ending. */
  readLine(waitingFor: string): Promise<string> {
    this.run.activity = `waiting for ${waitingFor}`;
    return this.run.wait((resolve, reject) => {
      const check = (): void => {
        const line = this.takeLine();
        if (line !== undefined) resolve(line);
        else if (this.buffer.length > MAX_LINE_BYTES) reject(new ProbeFailure('protocol', `${waitingFor}: a line longer than ${MAX_LINE_BYTES} bytes`));
        else if (this.failure !== undefined) reject(classifyError(this.failure, 'exchange'));
        else if (this.ended) reject(new ProbeFailure('protocol', `the server closed the connection while we were waiting for ${waitingFor}`));
      };
      this.wake = check;
      check();
      return () => {
        this.wake = undefined;
      };
    });
  }

  /**
   * A numbered reply as SMTP (RFC 5321) and FTP (RFC 959) send them: "220-first line",
   * …, "220 last line". FTP's continuation lines need not repeat the code.
   */
  async readReply(waitingFor: string): Promise<Reply> {
    const first = await this.readLine(waitingFor);
    const match = /^(\d{3})([ -]|$)/.exec(first);
    if (!match) throw new ProbeFailure('protocol', `${waitingFor}: expected a numbered reply, got "${excerpt(first)}"`);
    const code = match[1]!;
    const lines = [first.slice(4)];
    let more = match[2] === '-';
    while (more) {
      if (lines.length >= MAX_REPLY_LINES) throw new ProbeFailure('protocol', `${waitingFor}: a reply of more than ${MAX_REPLY_LINES} lines`);
      const line = await this.readLine(waitingFor);
      const numbered = line.startsWith(code) && (line.length === 3 || line[3] === ' ' || line[3] === '-');
      lines.push(numbered ? line.slice(4) : line);
      more = !(numbered && line[3] !== '-');
    }
    return { code: Number(code), text: lines.join('\n'), lines };
  }

  /** Our end of the connection, for greetings that name the client (EHLO). */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  send(command: string): void {
    this.socket.write(`${command}\r\n`);
  }

  /**
   * Says goodbye (QUIT, LOGOUT) without waiting for the answer. Waits only until the
   * farewell has left: over TLS it is written asynchronously, and the probe destroys the
   * socket next. The verdict is in by now, so a deadline passing here changes nothing.
   */
  async close(command: string): Promise<void> {
    const socket = this.socket;
    await this.run
      .wait<void>((resolve) => {
        socket.end(`${command}\r\n`, resolve);
        return () => {};
      })
      .catch(() => {});
  }

  /** Switches the connection to TLS after the server agreed (STARTTLS, STLS). */
  async upgradeToTls(host: string): Promise<void> {
    // Bytes the server sent before the handshake would be read as if they came over TLS:
    // refuse them (the STARTTLS command-injection weakness, RFC 7457 §2.2).
    if (this.buffer.length > 0) throw new ProbeFailure('protocol', 'the server sent data after agreeing to start TLS');
    this.detach();
    const secure = await startTls(this.run, this.socket, host);
    this.run.stage = 'exchange';
    this.attach(secure);
  }
}

export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/[\r\n]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The monitor's `expect.banner` check on what the server said first. */
export function expectBanner(greeting: string, banner: string | undefined): void {
  if (banner !== undefined && !greeting.includes(banner)) {
    throw new ProbeFailure('content', `the greeting does not contain "${banner}" (got "${excerpt(greeting)}")`);
  }
}
