import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { receiveText } from '../../../functions/probes/receive.js';
import { ProbeRun } from '../../../functions/probes/run.js';

// receiveText over an in-memory stream: data written before the deadline always arrives
// first (stream events run on the next tick, timers after), so the endings are certain.

function connectedRun(timeoutMs: number): ProbeRun {
  const run = new ProbeRun(timeoutMs, { allowPrivateTargets: true });
  run.connected = true;
  return run;
}

const fakeSocket = (): PassThrough & Socket => new PassThrough() as PassThrough & Socket;

describe('receiveText', () => {
  it('resolves as soon as the text appears, across chunks', async () => {
    const run = connectedRun(5000);
    const socket = fakeSocket();
    const receiving = receiveText(run, socket, 'Router R1', 'the banner');
    socket.write('Welcome to Rou');
    socket.write('ter R1\r\n');
    await expect(receiving).resolves.toContain('Welcome to Router R1');
    expect(run.phases.firstByte).not.toBeNull();
    run.finish();
  });

  it('turns a deadline after some text into class content', async () => {
    const run = connectedRun(20);
    const socket = fakeSocket();
    const receiving = receiveText(run, socket, 'Router R1', 'the banner');
    socket.write('Welcome');
    await expect(receiving).rejects.toMatchObject({ errorClass: 'content', message: expect.stringContaining('got "Welcome"') });
    run.finish();
  });

  it('keeps a deadline without any text a timeout', async () => {
    const run = connectedRun(20);
    await expect(receiveText(run, fakeSocket(), 'x', 'the answer')).rejects.toMatchObject({ errorClass: 'timeout' });
    run.finish();
  });

  it('fails a close with text as content, and a silent close as protocol', async () => {
    const run = connectedRun(5000);
    const talker = fakeSocket();
    const talking = receiveText(run, talker, 'PONG', 'the answer');
    talker.end('HELLO');
    await expect(talking).rejects.toMatchObject({ errorClass: 'content' });
    const silent = fakeSocket();
    const silence = receiveText(run, silent, 'PONG', 'the answer');
    silent.end();
    await expect(silence).rejects.toMatchObject({ errorClass: 'protocol' });
    run.finish();
  });

  it('passes the bytes through the filter first', async () => {
    const run = connectedRun(5000);
    const socket = fakeSocket();
    const receiving = receiveText(run, socket, 'ab', 'the banner', (chunk) => Buffer.from(chunk.toString().replace(/-/g, '')));
    socket.write('a-b');
    await expect(receiving).resolves.toBe('ab');
    run.finish();
  });
});
