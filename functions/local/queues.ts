import type { QueueClient } from '@azure/storage-queue';
import type { QueueFunction } from '../runtime.js';
import { decodeQueueMessage } from '../storage/queue-messages.js';

// Polls Azurite queues for queue-triggered functions with the host's semantics: a message
// is deleted only after its handler succeeds; a failure makes it visible again after a short
// pause; after MAX_DEQUEUE attempts it moves to <queue>-poison.

const MAX_DEQUEUE = 5;
const BATCH = 16;
const IDLE_POLL_MS = 200;
const RETRY_VISIBILITY_S = 1;
const LEASE_S = 300;

export interface QueuePollerOptions {
  readonly fn: QueueFunction;
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  readonly run: (fn: QueueFunction, message: unknown) => Promise<void>;
  readonly log: (message: string) => void;
}

export class QueuePoller {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: QueuePollerOptions) {}

  start(): void {
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async poll(): Promise<void> {
    const { queue } = this.options;
    while (!this.stopped) {
      let handled = 0;
      try {
        const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: BATCH, visibilityTimeout: LEASE_S });
        handled = receivedMessageItems.length;
        await Promise.all(receivedMessageItems.map((m) => this.handle(m.messageId, m.popReceipt, m.messageText, m.dequeueCount)));
      } catch (err) {
        if (!this.stopped) this.options.log(`queue ${queue.name}: poll failed: ${String(err)}`);
      }
      if (handled === 0 && !this.stopped) await this.sleep(IDLE_POLL_MS);
    }
  }

  private async handle(id: string, popReceipt: string, text: string, dequeueCount: number): Promise<void> {
    const { queue, poison, fn } = this.options;
    try {
      await this.options.run(fn, decodeQueueMessage(text));
      await queue.deleteMessage(id, popReceipt);
    } catch (err) {
      this.options.log(`queue ${queue.name}: ${fn.name} failed (attempt ${dequeueCount}): ${String(err)}`);
      if (dequeueCount >= MAX_DEQUEUE) {
        await poison.createIfNotExists();
        await poison.sendMessage(text);
        await queue.deleteMessage(id, popReceipt);
      } else {
        await queue.updateMessage(id, popReceipt, undefined, RETRY_VISIBILITY_S);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}
