/** Each delay is moved by up to ±10 %, so receivers that failed together are not retried together. */
const JITTER = 0.1;
/** A `Retry-After` longer than this is not waited for. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Parses VERID_WEBHOOK_RETRY_SCHEDULE (comma-separated seconds after each failed attempt); undefined
 * when it is not one. Its default is the Standard Webhooks example: 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h, 24 h — ten attempts over about 75 hours.
 */
export function parseRetrySchedule(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return undefined;
  return parts.map((p) => Number(p) * 1000);
}

/**
 * When to try again after the `failedAttempts`-th failure of this round (1-based), or null when the
 * schedule is used up (the delivery is dead). A `Retry-After` (429, 503) can only lengthen the wait.
 */
export function nextAttemptAt(
  scheduleMs: readonly number[], failedAttempts: number, now: number, retryAfterSeconds: number | null = null, random = Math.random,
): number | null {
  const base = scheduleMs[failedAttempts - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + JITTER * (2 * random() - 1)));
  const asked = retryAfterSeconds === null ? 0 : Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
  return now + Math.max(jittered, asked);
}
