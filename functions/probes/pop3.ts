import { type Conversation, excerpt, expectBanner } from './conversation.js';
import { ProbeFailure } from './errors.js';
import { mailEndpoint, openMailConversation, shouldStartTls } from './mail-tls.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// POP3 (RFC 1939): a "+OK" greeting; STLS (RFC 2595) when offered or required; POP3S on
// port 995 (or tls implicit) speaks TLS from the start.

const POP3S_PORT = 995;
const MAX_CAPABILITIES = 100;

/** CAPA (RFC 2449); a server without it (-ERR) offers no STLS. */
async function capabilities(conversation: Conversation): Promise<string[]> {
  conversation.send('CAPA');
  const status = await conversation.readLine('the answer to CAPA');
  if (!status.startsWith('+OK')) return [];
  const found: string[] = [];
  for (;;) {
    const line = await conversation.readLine('the capability list');
    if (line === '.') return found;
    found.push(line.toUpperCase());
    if (found.length > MAX_CAPABILITIES) throw new ProbeFailure('protocol', `the capability list did not end after ${MAX_CAPABILITIES} lines`);
  }
}

export async function probePop3(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'pop3'>): Promise<void> {
  const endpoint = mailEndpoint(target, expect.tls, POP3S_PORT);
  const conversation = await openMailConversation(run, endpoint);
  const greeting = await conversation.readLine('the POP3 greeting');
  run.findings.server = excerpt(greeting, 200);
  if (greeting.startsWith('-ERR')) throw new ProbeFailure('status', `the server refused the session: "${excerpt(greeting)}"`);
  if (!greeting.startsWith('+OK')) throw new ProbeFailure('protocol', `expected a POP3 greeting ("+OK"), got "${excerpt(greeting)}"`);
  expectBanner(greeting, expect.banner);

  if (endpoint.tls === 'auto' || endpoint.tls === 'starttls') {
    const offered = (await capabilities(conversation)).some((capability) => /^STLS\b/.test(capability));
    if (shouldStartTls(endpoint.tls, offered, 'STLS')) {
      conversation.send('STLS');
      const ready = await conversation.readLine('the answer to STLS');
      if (!ready.startsWith('+OK')) throw new ProbeFailure('tls', `STLS was answered with "${excerpt(ready)}"`);
      await conversation.upgradeToTls(endpoint.host);
    }
  }
  await conversation.close('QUIT');
}
