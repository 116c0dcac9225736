/** One thing the person is asked to do in front of the camera. */
export type ChallengeStep = 'turn_left' | 'turn_right' | 'blink';

export const CHALLENGE_STEPS: readonly ChallengeStep[] = ['turn_left', 'turn_right', 'blink'];

/** How long a challenge stays valid after it is issued (the caller sets `expiresAt`). */
export const DEFAULT_CHALLENGE_TTL_MS = 60_000;

/**
 * A new challenge: every step once, in a random order (6 possible orders), so a recording
 * made for one challenge rarely fits the next. `random(n)` returns an integer in [0, n):
 * pass a CSPRNG in production (`crypto.randomInt`), a seeded one in tests.
 */
export function createChallenge(random: (maxExclusive: number) => number): ChallengeStep[] {
  const steps = [...CHALLENGE_STEPS];
  for (let i = steps.length - 1; i > 0; i--) {
    const j = random(i + 1);
    if (!Number.isInteger(j) || j < 0 || j > i) throw new RangeError(`random(${i + 1}) returned ${j}`);
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  }
  return steps;
}

export function isChallengeStep(value: unknown): value is ChallengeStep {
  return typeof value === 'string' && (CHALLENGE_STEPS as readonly string[]).includes(value);
}
