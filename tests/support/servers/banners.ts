import { createServer } from 'node:net';
import type { KeyAndCertificate } from './certificates.js';
import { startLineServer, type LineTestServer } from './line-server.js';
import { closeServer, Connections, listen, LOOPBACK, type TestServer } from './server.js';

// Minimal servers for the banner protocols: just enough of each conversation for a probe
// (greeting, capabilities, STARTTLS, goodbye), nothing behind it.

export interface MailServerOptions {
  /** Speak TLS from the first byte (IMAPS / POP3S). */
  readonly implicitTls?: KeyAndCertificate;
  /** Offer STARTTLS / STLS with this certificate. */
  readonly starttls?: KeyAndCertificate;
  /** The greeting line; a sensible default when absent. */
  readonly greeting?: string;
}

/** FTP: greets (multi-line when the greeting has several lines) and says goodbye to QUIT. */
export function startFtpServer(options: { greeting?: readonly string[] } = {}): Promise<LineTestServer> {
  const greeting = options.greeting ?? ['220-Welcome to the test FTP service', '220 Test FTP server ready'];
  return startLineServer({
    greet: (session) => greeting.forEach((line) => session.send(line)),
    onLine: (line, session) => {
      if (/^QUIT/i.test(line)) {
        session.send('221 Goodbye');
        session.end();
      } else {
        session.send('530 Please login with USER and PASS');
      }
    },
  });
}

/** IMAP4rev1: greeting, CAPABILITY, STARTTLS, LOGOUT. */
export function startImapServer(options: MailServerOptions = {}): Promise<LineTestServer> {
  const certificate = options.starttls ?? options.implicitTls;
  return startLineServer({
    ...(options.implicitTls ? { implicitTls: options.implicitTls } : {}),
    ...(certificate ? { certificate } : {}),
    greet: (session) => session.send(options.greeting ?? '* OK Test IMAP server ready'),
    onLine: (line, session) => {
      const [tag = '*', command = ''] = line.split(' ');
      switch (command.toUpperCase()) {
        case 'CAPABILITY':
          session.send(`* CAPABILITY IMAP4rev1${options.starttls && !session.secure ? ' STARTTLS' : ''} AUTH=PLAIN`);
          session.send(`${tag} OK CAPABILITY completed`);
          return;
        case 'STARTTLS':
          if (!options.starttls || session.secure) return session.send(`${tag} BAD STARTTLS not available`);
          session.send(`${tag} OK Begin TLS negotiation now`);
          void session.startTls();
          return;
        case 'LOGOUT':
          session.send('* BYE Logging out');
          session.send(`${tag} OK LOGOUT completed`);
          session.end();
          return;
        default:
          session.send(`${tag} BAD unknown command`);
      }
    },
  });
}

/** POP3: greeting, CAPA, STLS, QUIT. */
export function startPop3Server(options: MailServerOptions = {}): Promise<LineTestServer> {
  const certificate = options.starttls ?? options.implicitTls;
  return startLineServer({
    ...(options.implicitTls ? { implicitTls: options.implicitTls } : {}),
    ...(certificate ? { certificate } : {}),
    greet: (session) => session.send(options.greeting ?? '+OK Test POP3 server ready'),
    onLine: (line, session) => {
      switch (line.split(' ')[0]?.toUpperCase()) {
        case 'CAPA':
          session.send('+OK Capability list follows');
          session.send('USER');
          if (options.starttls && !session.secure) session.send('STLS');
          session.send('.');
          return;
        case 'STLS':
          if (!options.starttls || session.secure) return session.send('-ERR STLS not available');
          session.send('+OK Begin TLS negotiation');
          void session.startTls();
          return;
        case 'QUIT':
          session.send('+OK Bye');
          session.end();
          return;
        default:
          session.send('-ERR unknown command');
      }
    },
  });
}

/** SSH: optional lines before the identification (RFC 4253 allows them), then the identification. */
export function startSshServer(options: { identification?: string; preamble?: readonly string[] } = {}): Promise<LineTestServer> {
  return startLineServer({
    greet: (session) => {
      for (const line of options.preamble ?? []) session.send(line);
      session.send(options.identification ?? 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
    },
  });
}

export interface TelnetTestServer extends TestServer {
  /** Negotiation bytes the clients sent back, over all sessions. */
  readonly answers: () => Buffer;
}

const IAC = 255;
const DO = 253;
const WILL = 251;
const ECHO = 1;
const SUPPRESS_GO_AHEAD = 3;
const TERMINAL_TYPE = 24;

/**
 * Telnet: opens with option negotiation (IAC WILL ECHO, IAC DO TERMINAL-TYPE, IAC WILL
 * SUPPRESS-GO-AHEAD) and, like many real servers, shows its banner only once the client
 * has answered every request; `closeAfterBanner` then hangs up, like a busy server.
 */
export async function startTelnetServer(options: { banner?: string; closeAfterBanner?: boolean } = {}): Promise<TelnetTestServer> {
  const connections = new Connections();
  const negotiation = Buffer.from([IAC, WILL, ECHO, IAC, DO, TERMINAL_TYPE, IAC, WILL, SUPPRESS_GO_AHEAD]);
  const received: Buffer[] = [];
  const server = createServer((socket) => {
    connections.add(socket);
    socket.write(negotiation);
    let answered = Buffer.alloc(0);
    let greeted = false;
    socket.on('data', (chunk) => {
      received.push(chunk);
      answered = Buffer.concat([answered, chunk]);
      // Three requests, three 3-byte answers.
      if (!greeted && answered.length >= 9) {
        greeted = true;
        const banner = `\r\n${options.banner ?? 'Test telnet service'}\r\n\r\nlogin: `;
        if (options.closeAfterBanner) socket.end(banner);
        else socket.write(banner);
      }
    });
  });
  const port = await listen(server);
  return {
    host: LOOPBACK,
    port,
    answers: () => Buffer.concat(received),
    close: () => closeServer(server, connections),
  };
}
