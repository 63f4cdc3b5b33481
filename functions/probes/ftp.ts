import { openConnection } from './connect.js';
import { Conversation, excerpt, expectBanner } from './conversation.js';
import { ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// FTP (RFC 959): the server is ready when it greets with 220. A 120 ("ready in n minutes")
// or 421 ("service not available") greeting is a failure with that reply code.

export async function probeFtp(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'ftp'>): Promise<void> {
  const conversation = new Conversation(run, await openConnection(run, target.host, target.port));
  const greeting = await conversation.readReply('the FTP greeting');
  run.findings.status = greeting.code;
  run.findings.server = excerpt(greeting.text, 200);
  if (greeting.code !== 220) throw new ProbeFailure('status', `the server greeted with ${greeting.code} instead of 220: ${excerpt(greeting.text)}`);
  expectBanner(greeting.text, expect.banner);
  await conversation.close('QUIT');
}
