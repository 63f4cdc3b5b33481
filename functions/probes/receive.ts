import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { excerpt } from './conversation.js';
import { classifyError, ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';

// Waiting for a text in a stream without line structure (tcp `expect.receive`, telnet
// banners). The server may send its answer in pieces and never say it is done, so the
// wait ends on a match, on close, on a size limit, or at the deadline; a deadline after
// some text arrived is a content mismatch rather than silence.

const MAX_RECEIVE_BYTES = 64 * 1024;

/** Bytes that are not text (telnet negotiation) are removed by `filter`. */
export type ChunkFilter = (chunk: Buffer) => Buffer;

export async function receiveText(run: ProbeRun, socket: Socket, expected: string, what: string, filter?: ChunkFilter): Promise<string> {
  run.stage = 'exchange';
  run.activity = `waiting for ${what} to contain "${expected}"`;
  const openedAt = performance.now();
  const decoder = new StringDecoder('utf8');
  let text = '';
  const mismatch = (): ProbeFailure => new ProbeFailure('content', `${what} does not contain "${expected}" (got "${excerpt(text)}")`);
  try {
    return await run.wait<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        run.phases.firstByte ??= run.since(openedAt);
        text += decoder.write(filter ? filter(chunk) : chunk);
        if (text.includes(expected)) resolve(text);
        else if (text.length > MAX_RECEIVE_BYTES) reject(mismatch());
      };
      const onClose = (): void => {
        reject(text.length > 0 ? mismatch() : new ProbeFailure('protocol', `the server closed the connection without sending ${what}`));
      };
      const onError = (error: unknown): void => reject(classifyError(error, 'exchange'));
      socket.on('data', onData);
      socket.once('end', onClose);
      socket.once('close', onClose);
      socket.once('error', onError);
      return () => {
        socket.off('data', onData);
        socket.off('end', onClose);
        socket.off('close', onClose);
        socket.off('error', onError);
      };
    });
  } catch (error) {
    if (error instanceof ProbeFailure && error.errorClass === 'timeout' && text.length > 0) throw mismatch();
    throw error;
  }
}
