import { openConnection } from './connect.js';
import { Conversation } from './conversation.js';
import { ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';
import type { ProbeTarget } from './target.js';
import { startTls } from './tls.js';

// TLS for the mail protocols (SMTP, IMAP, POP3): implicit TLS from the first byte
// (SMTPS 465, IMAPS 993, POP3S 995), or an upgrade in the conversation (STARTTLS / STLS).

export type MailTls = 'implicit' | 'starttls' | 'auto' | 'off';

export interface MailEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: MailTls;
}

/**
 * Port and TLS mode of a mail probe: the implicit-TLS port implies implicit TLS, and
 * implicit TLS without a port given implies that port. Otherwise STARTTLS when offered.
 */
export function mailEndpoint(target: Extract<ProbeTarget, { kind: 'host' }>, requested: MailTls | undefined, implicitPort: number): MailEndpoint {
  const port = requested === 'implicit' && !target.portGiven ? implicitPort : target.port;
  return { host: target.host, port, tls: requested ?? (port === implicitPort ? 'implicit' : 'auto') };
}

/** Connects (with implicit TLS when asked) and starts the conversation. */
export async function openMailConversation(run: ProbeRun, endpoint: MailEndpoint): Promise<Conversation> {
  const socket = await openConnection(run, endpoint.host, endpoint.port);
  return new Conversation(run, endpoint.tls === 'implicit' ? await startTls(run, socket, endpoint.host) : socket);
}

/** Whether to upgrade now; fails when the monitor requires STARTTLS and the server does not offer it. */
export function shouldStartTls(mode: MailTls, offered: boolean, command: string): boolean {
  if (mode === 'starttls' && !offered) throw new ProbeFailure('tls', `the server does not offer ${command}, which this monitor requires`);
  return offered && (mode === 'starttls' || mode === 'auto');
}
