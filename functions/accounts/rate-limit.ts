// A sliding-window limit over the times of recent requests, kept with the thing limited
// (an address's sign-ups, a channel's confirmation messages). Pure, so it is tested alone.

export type Admission =
  | { readonly ok: true; /** The times to store back, this request included. */ readonly times: string[] }
  | { readonly ok: false; readonly retryAfterSeconds: number };

export function admit(times: readonly string[], now: number, windowMs: number, max: number): Admission {
  const recent = times.map((t) => Date.parse(t)).filter((t) => Number.isFinite(t) && t > now - windowMs && t <= now).sort((a, b) => a - b);
  if (recent.length >= max) {
    const oldest = recent[recent.length - max]!;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
  }
  return { ok: true, times: [...recent, now].map((t) => new Date(t).toISOString()) };
}
