import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyError, ProbeFailure } from './errors.js';
import { resolveTarget } from './resolve.js';
import type { ProbeRun } from './run.js';

// Opening the probe's own TCP connection to an address the policy checked. Never a pooled
// or reused socket: the connect phase must measure a real handshake.

export function formatAddress(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function attempt(run: ProbeRun, address: string, port: number): Promise<Socket> {
  const socket = run.own(new Socket());
  socket.setNoDelay(true);
  return run.wait((resolve, reject) => {
    const onConnect = (): void => resolve(socket);
    socket.once('connect', onConnect);
    socket.once('error', reject);
    socket.connect({ host: address, port });
    return () => {
      socket.off('connect', onConnect);
      socket.off('error', reject);
    };
  });
}

/**
 * Connects to the first address that accepts, moving on only when one fails at once
 * (refused, unreachable); a silent address uses up the probe's time. Records the connect
 * phase over all attempts and the remote address.
 */
export async function connectTo(run: ProbeRun, addresses: readonly string[], port: number): Promise<Socket> {
  run.stage = 'connect';
  const start = performance.now();
  let failure: ProbeFailure | undefined;
  for (const address of addresses) {
    run.activity = `connecting to ${formatAddress(address, port)}`;
    run.findings.remoteAddress = address;
    try {
      const socket = await attempt(run, address, port);
      run.phases.connect = run.since(start);
      run.connected = true;
      return socket;
    } catch (error) {
      failure = classifyError(error, 'connect');
      if (failure.errorClass !== 'connect') throw failure;
    }
  }
  throw failure ?? new ProbeFailure('connect', 'no address to connect to');
}

/** Resolves, checks and connects: the opening of every connection-based probe. */
export async function openConnection(run: ProbeRun, host: string, port: number): Promise<Socket> {
  const addresses = await resolveTarget(run, host);
  return connectTo(run, addresses, port);
}
