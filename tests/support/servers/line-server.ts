import { createServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { KeyAndCertificate } from './certificates.js';
import { closeServer, Connections, listen, LOOPBACK, type TestServer } from './server.js';

// A scripted line-protocol server (the shape of FTP, POP3, IMAP, SSH greetings): it greets,
// then hands each received line to `onLine`, which answers through the session. Sessions
// can switch to TLS in the middle (STARTTLS), or the server can speak TLS from the start.

export interface LineSession {
  /** Sends text as is. */
  write(text: string | Buffer): void;
  /** Sends one line, adding CRLF. */
  send(line: string): void;
  /** Switches this connection to TLS (after answering STARTTLS / STLS). */
  startTls(): Promise<void>;
  /** Closes the connection after what was sent. */
  end(): void;
  /** The session runs over TLS (implicit or upgraded). */
  readonly secure: boolean;
}

export interface LineServerOptions {
  /** Speak TLS from the first byte with this certificate (IMAPS, POP3S, SMTPS). */
  readonly implicitTls?: KeyAndCertificate;
  /** Certificate for STARTTLS upgrades; defaults to `implicitTls`. */
  readonly certificate?: KeyAndCertificate;
  /** Called once the session is ready (after the TLS handshake for implicit TLS). */
  readonly greet: (session: LineSession) => void;
  readonly onLine?: (line: string, session: LineSession) => void;
}

export interface LineTestServer extends TestServer {
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Every line received, over all sessions. */
  readonly lines: string[];
  /** Sessions that ran TLS (implicit or upgraded) so far. */
  readonly secureSessions: () => number;
}

export async function startLineServer(options: LineServerOptions): Promise<LineTestServer> {
  const connections = new Connections();
  const lines: string[] = [];
  let secureSessions = 0;
  const certificate = options.certificate ?? options.implicitTls;
  const context = certificate ? createSecureContext({ key: certificate.key, cert: certificate.cert }) : undefined;

  const serve = (raw: Socket): void => {
    let socket: Socket = raw;
    let buffer = '';
    let secure = false;
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        options.onLine?.(line, session);
      }
    };
    const upgrade = (): Promise<void> => {
      if (!context) throw new Error('this line server has no certificate for TLS');
      socket.off('data', onData);
      const tls = new TLSSocket(socket, { isServer: true, secureContext: context });
      tls.on('error', () => {});
      socket = tls;
      return new Promise((resolve) => {
        tls.once('secure', () => {
          secure = true;
          secureSessions++;
          tls.on('data', onData);
          resolve();
        });
      });
    };
    const session: LineSession = {
      write: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      send: (line) => session.write(`${line}\r\n`),
      startTls: upgrade,
      end: () => socket.end(),
      get secure() {
        return secure;
      },
    };
    if (options.implicitTls) {
      void upgrade().then(() => options.greet(session));
    } else {
      socket.on('data', onData);
      options.greet(session);
    }
  };

  const server = createServer((socket) => {
    // Scripts write a reply line by line; without this, Nagle holds each line for an ACK.
    socket.setNoDelay(true);
    connections.add(socket);
    serve(socket);
  });
  const port = await listen(server);
  return {
    host: LOOPBACK,
    port,
    connections: () => connections.accepted,
    lines,
    secureSessions: () => secureSessions,
    close: () => closeServer(server, connections),
  };
}
