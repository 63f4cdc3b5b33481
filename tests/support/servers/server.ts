import type { AddressInfo, Server, Socket } from 'node:net';

// What every test server shares: it listens on 127.0.0.1 at an ephemeral port, and close()
// ends every connection it still holds, so a test file leaves nothing behind.

export interface TestServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

/** Listens on an ephemeral loopback port and resolves with it. */
export function listen(server: Server, host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Remembers open sockets so close() can destroy them; servers call `add` for each connection. */
export class Connections {
  private readonly open = new Set<Socket>();
  /** Connections accepted since the server started. */
  accepted = 0;

  add(socket: Socket): void {
    this.accepted++;
    this.open.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => this.open.delete(socket));
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}

/** Closes a server after destroying its connections. */
export function closeServer(server: Server, connections: Connections): Promise<void> {
  connections.destroyAll();
  return new Promise((resolve) => server.close(() => resolve()));
}
