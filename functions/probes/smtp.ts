import { isIP } from 'node:net';
import { type Conversation, excerpt, expectBanner, type Reply } from './conversation.js';
import { ProbeFailure } from './errors.js';
import { mailEndpoint, openMailConversation, shouldStartTls } from './mail-tls.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// SMTP (RFC 5321): a 220 greeting, EHLO accepted, and — when offered (tls auto) or required
// (tls starttls) — STARTTLS with a valid certificate and EHLO again over TLS. Port 465 (or
// tls implicit) speaks TLS from the start (RFC 8314).

const SMTPS_PORT = 465;

/** EHLO needs our name; an address literal of our end is always true and reveals nothing new. */
function clientName(conversation: Conversation): string {
  const address = conversation.localAddress;
  if (!address) return '[127.0.0.1]';
  return isIP(address) === 6 ? `[IPv6:${address}]` : `[${address}]`;
}

async function command(conversation: Conversation, line: string, name: string): Promise<Reply> {
  conversation.send(line);
  const reply = await conversation.readReply(`the answer to ${name}`);
  if (reply.code !== 250) throw new ProbeFailure('status', `${name} was answered with ${reply.code}: ${excerpt(reply.text)}`);
  return reply;
}

function offersStartTls(ehlo: Reply): boolean {
  return ehlo.lines.slice(1).some((line) => /^STARTTLS\b/i.test(line));
}

export async function probeSmtp(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'smtp'>): Promise<void> {
  const endpoint = mailEndpoint(target, expect.tls, SMTPS_PORT);
  const conversation = await openMailConversation(run, endpoint);
  const greeting = await conversation.readReply('the SMTP greeting');
  run.findings.status = greeting.code;
  run.findings.server = excerpt(greeting.text, 200);
  if (greeting.code !== 220) throw new ProbeFailure('status', `the server greeted with ${greeting.code} instead of 220: ${excerpt(greeting.text)}`);
  expectBanner(greeting.text, expect.banner);

  const client = clientName(conversation);
  const ehlo = await command(conversation, `EHLO ${client}`, 'EHLO');
  if (shouldStartTls(endpoint.tls, offersStartTls(ehlo), 'STARTTLS')) {
    conversation.send('STARTTLS');
    const ready = await conversation.readReply('the answer to STARTTLS');
    if (ready.code !== 220) throw new ProbeFailure('tls', `STARTTLS was answered with ${ready.code}: ${excerpt(ready.text)}`);
    await conversation.upgradeToTls(endpoint.host);
    await command(conversation, `EHLO ${client}`, 'EHLO after STARTTLS');
  }
  await conversation.close('QUIT');
}
