import { type Conversation, excerpt, expectBanner } from './conversation.js';
import { ProbeFailure } from './errors.js';
import { mailEndpoint, openMailConversation, shouldStartTls } from './mail-tls.js';
import type { ProbeRun } from './run.js';
import type { ErrorClass, ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// IMAP (RFC 9051): an "* OK" (or "* PREAUTH") greeting; STARTTLS when offered or required;
// IMAPS on port 993 (or tls implicit) speaks TLS from the start.

const IMAPS_PORT = 993;
const MAX_UNTAGGED_LINES = 100;

/** Sends a tagged command and collects the untagged lines up to its tagged completion. */
async function command(conversation: Conversation, tag: string, name: string, refusal: ErrorClass = 'status'): Promise<string[]> {
  conversation.send(`${tag} ${name}`);
  const untagged: string[] = [];
  for (;;) {
    const line = await conversation.readLine(`the answer to ${name}`);
    if (line.startsWith(`${tag} `)) {
      if (/^\S+ OK\b/i.test(line)) return untagged;
      throw new ProbeFailure(refusal, `${name} was answered with "${excerpt(line)}"`);
    }
    untagged.push(line);
    if (untagged.length > MAX_UNTAGGED_LINES) throw new ProbeFailure('protocol', `no completion of ${name} after ${MAX_UNTAGGED_LINES} lines`);
  }
}

async function capabilities(conversation: Conversation, greeting: string): Promise<string[]> {
  const announced = /\[CAPABILITY ([^\]]*)\]/i.exec(greeting);
  const lines = announced ? [`* CAPABILITY ${announced[1]}`] : await command(conversation, 'a1', 'CAPABILITY');
  return lines.filter((line) => /^\* CAPABILITY /i.test(line)).flatMap((line) => line.slice(13).toUpperCase().split(/\s+/));
}

export async function probeImap(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'imap'>): Promise<void> {
  const endpoint = mailEndpoint(target, expect.tls, IMAPS_PORT);
  const conversation = await openMailConversation(run, endpoint);
  const greeting = await conversation.readLine('the IMAP greeting');
  run.findings.server = excerpt(greeting, 200);
  if (/^\* BYE\b/i.test(greeting)) throw new ProbeFailure('status', `the server refused the session: "${excerpt(greeting)}"`);
  if (!/^\* (OK|PREAUTH)\b/i.test(greeting)) throw new ProbeFailure('protocol', `expected an IMAP greeting ("* OK"), got "${excerpt(greeting)}"`);
  expectBanner(greeting, expect.banner);

  if (endpoint.tls === 'auto' || endpoint.tls === 'starttls') {
    const offered = (await capabilities(conversation, greeting)).includes('STARTTLS');
    if (shouldStartTls(endpoint.tls, offered, 'STARTTLS')) {
      await command(conversation, 'a2', 'STARTTLS', 'tls');
      await conversation.upgradeToTls(endpoint.host);
    }
  }
  await conversation.close('a3 LOGOUT');
}
