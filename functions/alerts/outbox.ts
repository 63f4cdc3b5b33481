import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

// Where messages go when there is nowhere real to send them: the local runtime, and any
// deployment without ACS settings. One JSON line per message, so the file survives restarts
// and can be read by people (`tail -f .data/outbox.jsonl`) and by /api/dev/outbox.

export const outboxMessageSchema = z.object({
  at: z.string(),
  channel: z.enum(['email', 'sms', 'webhook']),
  to: z.string(),
  subject: z.string().optional(),
  body: z.string(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export class Outbox {
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Appends one message. Writes are serialised so lines never interleave. */
  append(message: Omit<OutboxMessage, 'at'> & { at?: string }): Promise<OutboxMessage> {
    const entry = outboxMessageSchema.parse({ ...message, at: message.at ?? new Date().toISOString() });
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.writes.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, line, 'utf8');
    });
    this.writes = write.catch(() => undefined);
    return write.then(() => entry);
  }

  /** Every message, oldest first. A torn last line (crash mid-write) is skipped. */
  async list(): Promise<OutboxMessage[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const messages: OutboxMessage[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = outboxMessageSchema.safeParse(JSON.parse(line));
        if (parsed.success) messages.push(parsed.data);
      } catch {
        // torn line: skip
      }
    }
    return messages;
  }
}
