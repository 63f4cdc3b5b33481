// Queue messages are JSON, base64-encoded: the Functions host's default messageEncoding,
// so the same bytes work for the host's queue trigger and the local poller.

export function encodeQueueMessage(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** What the host hands a queue trigger: parsed JSON when the text is JSON, else the text. */
export function decodeQueueMessage(text: string): unknown {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}
