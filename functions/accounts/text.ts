import { z } from 'zod';

// Names and labels people give things: shown in pages, subjects and lists, so one line of
// printable text (a newline in a name would end up in a mail subject).

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function plainTextSchema(max: number, what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasControlCharacters(s), `the ${what} must not contain control characters`);
}
