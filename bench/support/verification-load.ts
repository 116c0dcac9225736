// Verifications run back to back over HTTP, the way the hosted page sends them without the camera
// check (the bench's verid does not require liveness): the passport's front, process/id, the
// selfie, process/face. K loops keep K verifications in flight, so the engines stay busy while the
// bench measures the token endpoints beside them.
import { makeInput, omniPost, type VerificationInput } from './omni-client.ts';

export interface VerificationLoad {
  /** Verifications finished (decided or not) since the load started. */
  readonly completed: number;
  /** Verifications that failed with an HTTP error (the first error is kept for the report). */
  readonly failed: number;
  readonly firstError: string | undefined;
  /** Lets the verifications in flight finish, starts no more. */
  stop(): Promise<void>;
}

/**
 * Distinct inputs the loops cycle through. verid reuses engine results by image content (64 of
 * each kind, least recently used out first): a cycle longer than that never hits the cache, so
 * every verification costs the engines what a new person's does.
 */
export const LOAD_INPUTS = 80;

export function makeLoadInputs(count = LOAD_INPUTS): Promise<VerificationInput[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => makeInput(i, 0)));
}

export function startVerificationLoad(
  baseUrl: string, loops: number, inputs: VerificationInput[], startSession: () => Promise<string>,
): VerificationLoad {
  let next = 0;
  let running = true;
  const state = { completed: 0, failed: 0, firstError: undefined as string | undefined };
  const verifyOnce = async () => {
    const input = inputs[next++ % inputs.length]!;
    const token = await startSession();
    await omniPost(baseUrl, token, '/omni/add/front-id', input.front);
    await omniPost(baseUrl, token, '/omni/process/id');
    await omniPost(baseUrl, token, '/omni/add/face', input.selfie);
    await omniPost(baseUrl, token, '/omni/process/face');
  };
  const loop = async () => {
    while (running) {
      try {
        await verifyOnce();
        state.completed++;
      } catch (error) {
        state.failed++;
        state.firstError ??= (error as Error).message.slice(0, 300);
      }
    }
  };
  const all = Promise.all(Array.from({ length: loops }, loop));
  return {
    get completed() { return state.completed; },
    get failed() { return state.failed; },
    get firstError() { return state.firstError; },
    async stop() {
      running = false;
      await all;
    },
  };
}
