import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { KeyAndCertificate } from './certificates.js';
import { LOOPBACK, type TestServer } from './server.js';

// A real SMTP server (smtp-server, the Nodemailer project's) on loopback: greeting, EHLO,
// STARTTLS with our test certificate, or TLS from the first byte like SMTPS. It greets
// 100 ms after accepting (its early-talker check), so SMTP probes here take that long.

export interface SmtpServerOptions {
  readonly certificate: KeyAndCertificate;
  /** Offer STARTTLS (default true). */
  readonly starttls?: boolean;
  /** Speak TLS from the first byte (port 465 style). */
  readonly implicitTls?: boolean;
  /** Text after "220 <name> ESMTP". */
  readonly banner?: string;
}

export interface SmtpTestServer extends TestServer {
  /** Sessions that were (or became) TLS, counted when they close. */
  readonly secureSessions: () => number;
  /** Sessions closed so far. */
  readonly sessions: () => number;
  /** EHLO names the clients gave. */
  readonly clientNames: string[];
}

export async function startSmtpServer(options: SmtpServerOptions): Promise<SmtpTestServer> {
  let secureSessions = 0;
  let sessions = 0;
  const clientNames: string[] = [];
  const server = new SMTPServer({
    name: 'mail.test',
    banner: options.banner ?? 'Test mail service',
    key: options.certificate.key,
    cert: options.certificate.cert,
    secure: options.implicitTls ?? false,
    disabledCommands: options.starttls === false ? ['STARTTLS', 'AUTH'] : ['AUTH'],
    logger: false,
    disableReverseLookup: true,
    // Probes end their sessions themselves; anything left is cut quickly on close.
    closeTimeout: 100,
    onClose(session) {
      sessions++;
      if (session.secure) secureSessions++;
      if (session.hostNameAppearsAs) clientNames.push(session.hostNameAppearsAs);
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve((server.server.address() as AddressInfo).port));
  });
  return {
    host: LOOPBACK,
    port,
    secureSessions: () => secureSessions,
    sessions: () => sessions,
    clientNames,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
