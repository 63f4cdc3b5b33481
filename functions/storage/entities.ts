// Small helpers every store uses: what a Table Storage answer means, and the JSON columns
// that hold nested values (Table Storage has no nested properties).

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** createEntity found the row already there. */
export function isConflict(err: unknown): boolean {
  return statusOf(err) === 409;
}

/** An If-Match write lost a race: someone changed the row since it was read. */
export function isPreconditionFailed(err: unknown): boolean {
  return statusOf(err) === 412;
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** Runs a write; a missing row is not an error (deletes are idempotent). */
export async function ignoreNotFound(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Point read that answers undefined for a missing row. */
export async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON column written by toJson; a damaged or missing one reads as the fallback. */
export function fromJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    const value = JSON.parse(text) as T | null;
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

/** OData string literal: single quotes doubled. */
export function odata(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Filter for the rows of one partition whose RowKey starts with `prefix`. */
export function prefixFilter(partitionKey: string, prefix: string): string {
  // '~' sorts after every character our keys use, so [prefix, prefix~) is the prefix range.
  return `PartitionKey eq ${odata(partitionKey)} and RowKey ge ${odata(prefix)} and RowKey lt ${odata(`${prefix}~`)}`;
}
