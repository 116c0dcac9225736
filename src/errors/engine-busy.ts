import { AppError } from './app-error.ts';

/** Seconds a caller is asked to wait when an engine's queue is full. */
export const ENGINE_BUSY_RETRY_SECONDS = 5;

/**
 * piscina rejects a task with this message when the pool's `maxQueue` is reached. Matched by
 * message because piscina exports no error class or code for it.
 */
const QUEUE_FULL = 'Task queue is at limit';

/** Turns a full engine queue into `503 engine_busy` (with Retry-After); other errors pass through. */
export function asEngineBusy(error: unknown): unknown {
  if (error instanceof Error && error.message === QUEUE_FULL) {
    return new AppError('engine_busy', 'verid is busy, try again in a few seconds', { cause: error, retryAfterSeconds: ENGINE_BUSY_RETRY_SECONDS });
  }
  return error;
}

/** `503 engine_busy` before any work is queued (admission control, e.g. a new liveness challenge). */
export function engineBusy(): AppError {
  return new AppError('engine_busy', 'verid is busy, try again in a few seconds', { retryAfterSeconds: ENGINE_BUSY_RETRY_SECONDS });
}
