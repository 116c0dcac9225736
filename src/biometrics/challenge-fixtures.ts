import type { ChallengeStep } from './challenge.ts';
import type { FrameAnalysis } from './face-analysis.ts';

/** Synthetic challenge bursts for the unit tests: one frame per 100 ms. */
export type TimedFrame = FrameAnalysis & { timestamp: number };

export const SELFIE = [0.6, 0.8, 0, 0];
export const OTHER_PERSON = [0, 0, 0.6, 0.8];

export function frame(timestamp: number, overrides: Partial<FrameAnalysis> = {}): TimedFrame {
  return {
    faceCount: 1,
    yaw: 0,
    pitch: 0,
    roll: 0,
    leftEyeOpenness: 1,
    rightEyeOpenness: 1,
    embedding: SELFIE,
    passive: { liveness: 0.99, antispoof: 0.7 },
    timestamp,
    ...overrides,
  };
}

const MOVES: Record<ChallengeStep, Array<Partial<FrameAnalysis>>> = {
  turn_left: [{ yaw: -0.1 }, { yaw: -0.3 }, { yaw: -0.35 }, { yaw: -0.1 }],
  turn_right: [{ yaw: 0.1 }, { yaw: 0.3 }, { yaw: 0.35 }, { yaw: 0.1 }],
  blink: [{ leftEyeOpenness: 0.1, rightEyeOpenness: 0.15 }],
};

/** Frontal frames, then each step followed by three frontal frames. */
export function burst(steps: readonly ChallengeStep[], start = 1_000): TimedFrame[] {
  const poses: Array<Partial<FrameAnalysis>> = [{}, {}, {}];
  for (const step of steps) poses.push(...MOVES[step], {}, {}, {});
  return poses.map((pose, i) => frame(start + i * 100, pose));
}
