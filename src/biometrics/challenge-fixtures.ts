import type { ChallengeStep } from './challenge.ts';
import type { FrameAnalysis } from './face-analysis.ts';
import type { ChallengeFrame } from './verify-challenge.ts';

/** Synthetic challenge frames for the unit tests, in server order, tagged with the step revealed on arrival. */
export const SELFIE = [0.6, 0.8, 0, 0];
export const OTHER_PERSON = [0, 0, 0.6, 0.8];

export function frame(step: number, overrides: Partial<FrameAnalysis> = {}): ChallengeFrame {
  return {
    faceCount: 1,
    yaw: 0,
    pitch: 0,
    roll: 0,
    leftEyeOpenness: 1,
    rightEyeOpenness: 1,
    embedding: SELFIE,
    passive: { liveness: 0.99, antispoof: 0.7 },
    step,
    ...overrides,
  };
}

const MOVES: Record<ChallengeStep, Array<Partial<FrameAnalysis>>> = {
  turn_left: [{ yaw: -0.1 }, { yaw: -0.3 }, { yaw: -0.35 }, { yaw: -0.1 }],
  turn_right: [{ yaw: 0.1 }, { yaw: 0.3 }, { yaw: 0.35 }, { yaw: 0.1 }],
  blink: [{ leftEyeOpenness: 0.1, rightEyeOpenness: 0.15 }],
};

/**
 * What a person does: for each revealed step, two frontal frames (reacting), the move, three
 * frontal frames. `performed[i]` is what they did while step i was showing: a move, none, or several.
 */
export function burst(performed: ReadonlyArray<ChallengeStep | null | ChallengeStep[]>): ChallengeFrame[] {
  const frames: ChallengeFrame[] = [];
  performed.forEach((moves, step) => {
    const poses: Array<Partial<FrameAnalysis>> = [{}, {}];
    for (const move of [moves ?? []].flat()) poses.push(...MOVES[move], {}, {}, {});
    frames.push(...poses.map((pose) => frame(step, pose)));
  });
  return frames;
}
