import { connectTo } from './connect.js';
import { ProbeFailure } from './errors.js';
import { resolveTarget } from './resolve.js';
import type { ProbeRun } from './run.js';
import type { ProbeTarget } from './target.js';

// "Ping" is a TCP-connect ping: Azure does not let functions send ICMP. The host is up when
// a TCP connection opens: on the port given, or else on 443, and on 80 when 443 refuses
// (a web server without TLS). A refusal on both is a failure: a reset can come from a
// firewall in front of a dead host, so only an accepted connection proves the host works.

export const PING_PORTS = [443, 80] as const;

export function pingPorts(target: Extract<ProbeTarget, { kind: 'host' }>): readonly number[] {
  return target.portGiven ? [target.port] : PING_PORTS;
}

export async function probePing(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>): Promise<void> {
  const addresses = await resolveTarget(run, target.host);
  const ports = pingPorts(target);
  for (const [index, port] of ports.entries()) {
    try {
      const socket = await connectTo(run, addresses, port);
      socket.end();
      return;
    } catch (error) {
      const refused = error instanceof ProbeFailure && error.code === 'ECONNREFUSED';
      if (!refused || index === ports.length - 1) {
        if (refused && ports.length > 1) throw new ProbeFailure('connect', `connection refused on ports ${ports.join(' and ')}`, 'ECONNREFUSED');
        throw error;
      }
    }
  }
}
