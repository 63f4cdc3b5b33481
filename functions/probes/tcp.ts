import { openConnection } from './connect.js';
import { receiveText } from './receive.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// A TCP port: the connection opens. For custom protocols, `expect.send` is written after
// connecting and `expect.receive` must appear in what the server sends back.

export async function probeTcp(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'tcp'>): Promise<void> {
  const socket = await openConnection(run, target.host, target.port);
  if (expect.send !== undefined) socket.write(expect.send);
  if (expect.receive !== undefined) await receiveText(run, socket, expect.receive, 'the answer');
  socket.end();
}
