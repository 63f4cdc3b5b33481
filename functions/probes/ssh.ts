import { VERSION } from '../version.js';
import { openConnection } from './connect.js';
import { Conversation, excerpt, expectBanner } from './conversation.js';
import { ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';
import type { ExpectFor } from './spec.js';
import type { ProbeTarget } from './target.js';

// SSH (RFC 4253 §4.2): the server identifies itself with "SSH-2.0-software comments",
// possibly after a few other lines. SSH-1.99 means a server that also speaks 2.0.

const MAX_LINES_BEFORE_IDENTIFICATION = 20;
const OUR_IDENTIFICATION = `SSH-2.0-ServerlessMonitor_${VERSION}`;

async function readIdentification(conversation: Conversation): Promise<string> {
  const before: string[] = [];
  try {
    while (before.length < MAX_LINES_BEFORE_IDENTIFICATION) {
      const line = await conversation.readLine('the SSH identification');
      if (line.startsWith('SSH-')) return line;
      before.push(line);
    }
  } catch (error) {
    // A server that talked and then fell silent answered, just not as SSH (an FTP greeting).
    const silentAfterTalking = error instanceof ProbeFailure && error.errorClass === 'timeout' && before.length > 0;
    if (!silentAfterTalking) throw error;
  }
  throw new ProbeFailure('protocol', `no SSH identification; the server said "${excerpt(before.join(' '))}"`);
}

export async function probeSsh(run: ProbeRun, target: Extract<ProbeTarget, { kind: 'host' }>, expect: ExpectFor<'ssh'>): Promise<void> {
  const conversation = new Conversation(run, await openConnection(run, target.host, target.port));
  const identification = await readIdentification(conversation);
  const match = /^SSH-([^-]+)-(.*)$/.exec(identification);
  run.findings.server = excerpt(match?.[2] ?? identification, 200);
  if (!match) throw new ProbeFailure('protocol', `malformed SSH identification "${excerpt(identification)}"`);
  if (match[1] !== '2.0' && match[1] !== '1.99') throw new ProbeFailure('protocol', `the server speaks SSH ${match[1]}, not SSH 2.0`);
  expectBanner(identification, expect.banner);
  // Identifying ourselves before leaving keeps the server's log to "closed by client".
  await conversation.close(OUR_IDENTIFICATION);
}
