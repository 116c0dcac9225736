import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A tarpit for rate-limited clients: their `429` goes out after `delayMs`, not at once. A client
 * that ignores `Retry-After` and sends again the moment it is answered (a flood on a few keep-alive
 * connections) then gets one answer per connection per delay instead of thousands a second, so the
 * refusals stop taking the event loop — and the cores — from the people being verified. Each held
 * answer costs one open connection and a timer; past `maxHeld` at once the answers go out without delay.
 * A refused request's body is never read while it waits (the refusals happen before the body).
 */
export interface RefusalDelay {
  /** Resolves after the delay, or at once when the delay is off or `maxHeld` answers are already waiting. */
  hold(): Promise<void>;
}

export function createRefusalDelay(options: { delayMs: number; maxHeld: number }): RefusalDelay {
  let held = 0;
  return {
    async hold() {
      if (options.delayMs <= 0 || held >= options.maxHeld) return;
      held++;
      try {
        await sleep(options.delayMs);
      } finally {
        held--;
      }
    },
  };
}
