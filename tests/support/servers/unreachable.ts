import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { listen, LOOPBACK, type TestServer } from './server.js';

// Ports for the failures before a connection exists.
//
// refusingPort(): a loopback port that refuses connections for as long as it is held. It is
// the local port of an open client connection: bound, so no one else gets it, and not
// listening, so the kernel answers every SYN with a reset (ECONNREFUSED).
//
// refusingUdpPort(): the same for UDP (a DNS server that is down): a UDP socket bound to
// the port and connected elsewhere, so datagrams from anyone else meet ICMP port
// unreachable (ECONNREFUSED for the resolver).
//
// unresponsivePort(): a loopback port where a connection is never established (a connect
// timeout, ETIMEDOUT). A child process listens with a backlog of 1 and then blocks its
// only thread, so it never accepts; two filler connections fill its accept queue, after
// which Linux drops further SYNs and a connect hangs until the client gives up. The child
// wakes every 200 ms only to see whether its parent is gone, and then exits.

export async function refusingPort(): Promise<TestServer> {
  const server = createServer(() => {});
  const port = await listen(server);
  const client = await new Promise<Socket>((resolve, reject) => {
    const socket = connect(port, LOOPBACK, () => resolve(socket));
    socket.once('error', reject);
  });
  server.close();
  return {
    host: LOOPBACK,
    port: client.localPort!,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function refusingUdpPort(): Promise<TestServer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  // Port 9 is "discard": the socket never expects anything from there either.
  await new Promise<void>((resolve) => socket.connect(9, LOOPBACK, resolve));
  return {
    host: LOOPBACK,
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

const STOPPED_LISTENER = `
const parent = process.ppid;
require('net').createServer().listen({ port: 0, host: '${LOOPBACK}', backlog: 1 }, function () {
  console.log(this.address().port);
  const asleep = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    Atomics.wait(asleep, 0, 0, 200);
    if (process.ppid !== parent) process.exit(0);
  }
});`;
const ACCEPT_QUEUE = 2;

export async function unresponsivePort(): Promise<TestServer> {
  const child = spawn(process.execPath, ['-e', STOPPED_LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < ACCEPT_QUEUE; i++) {
    fillers.push(
      await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, LOOPBACK, () => resolve(socket));
        socket.once('error', reject);
      }),
    );
  }
  return {
    host: LOOPBACK,
    port,
    close: async () => {
      for (const filler of fillers) filler.destroy();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
