// The scheduling clock. A "minute" is 60 s in Azure and SM_MINUTE_SECONDS locally; every
// schedule, delay and key counted in minutes goes through here so that it scales.

/** Index of the scheduling minute that contains `ms`. */
export function minuteOf(ms: number, minuteMs: number): number {
  return Math.floor(ms / minuteMs);
}

/** Start of scheduling minute `minute`, in ms since the epoch. */
export function minuteStart(minute: number, minuteMs: number): number {
  return minute * minuteMs;
}
