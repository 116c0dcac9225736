/** One thing the person is asked to do in front of the camera. */
export type ChallengeStep = 'turn_left' | 'turn_right' | 'blink';

/** The moves the face models verify reliably (measured in docs/liveness.md). */
export const CHALLENGE_STEPS: readonly ChallengeStep[] = ['turn_left', 'turn_right', 'blink'];

/** How long a challenge stays valid after it is issued (the caller sets `expiresAt`). */
export const DEFAULT_CHALLENGE_TTL_MS = 60_000;

/** Steps per challenge unless configured (VERID_LIVENESS_STEPS). */
export const DEFAULT_CHALLENGE_LENGTH = 5;
export const MIN_CHALLENGE_LENGTH = 3;
export const MAX_CHALLENGE_LENGTH = 8;

/**
 * How many different challenges of `length` steps exist: any step first, then any step but the
 * one before (3 × 2^(length−1): 48 for 5 steps). A recording plays one fixed sequence, so it fits
 * a fresh challenge with probability 1 / challengeCount (docs/liveness.md).
 */
export function challengeCount(length: number): number {
  return CHALLENGE_STEPS.length * (CHALLENGE_STEPS.length - 1) ** (length - 1);
}

/**
 * A new challenge: `length` steps drawn uniformly, never the same step twice in a row (a repeated
 * turn could not be told from a held one). With more steps than moves some move repeats, so one
 * recording of each move is never enough. `random(n)` returns an integer in [0, n): pass a CSPRNG
 * in production (`crypto.randomInt`), a seeded one in tests.
 */
export function createChallenge(random: (maxExclusive: number) => number, length = DEFAULT_CHALLENGE_LENGTH): ChallengeStep[] {
  if (!Number.isInteger(length) || length < MIN_CHALLENGE_LENGTH || length > MAX_CHALLENGE_LENGTH) {
    throw new RangeError(`a challenge has ${MIN_CHALLENGE_LENGTH} to ${MAX_CHALLENGE_LENGTH} steps, not ${length}`);
  }
  const steps: ChallengeStep[] = [];
  while (steps.length < length) {
    const choices = CHALLENGE_STEPS.filter((step) => step !== steps.at(-1));
    const j = random(choices.length);
    if (!Number.isInteger(j) || j < 0 || j >= choices.length) throw new RangeError(`random(${choices.length}) returned ${j}`);
    steps.push(choices[j]!);
  }
  return steps;
}

export function isChallengeStep(value: unknown): value is ChallengeStep {
  return typeof value === 'string' && (CHALLENGE_STEPS as readonly string[]).includes(value);
}

/** Known steps, at least one, none twice in a row. */
export function isValidChallenge(steps: readonly unknown[]): steps is ChallengeStep[] {
  return steps.length > 0 && steps.every(isChallengeStep) && steps.every((step, i) => i === 0 || step !== steps[i - 1]);
}
