import type { ChallengeStep } from './challenge.ts';
import type { FrameAnalysis } from './face-analysis.ts';

/**
 * Head turn that counts as a step: yaw this far (radians) from the burst's own median yaw.
 * Measured on the webcam fixture clips: deliberate turns reach 0.14-0.25 rad from the median,
 * a held still photo or a frontal face jitters by under 0.03 (docs/liveness.md).
 */
export const TURN_YAW = 0.12;
/** Back to frontal: within this of the median yaw, so a second turn the same way counts again. */
export const FRONTAL_YAW = 0.06;
/** Mean eye openness at or below which the eyes count as closed, and at or above which as open. */
export const CLOSED_EYES = 0.45;
export const OPEN_EYES = 0.7;

export type PoseFrame = Pick<FrameAnalysis, 'yaw' | 'leftEyeOpenness' | 'rightEyeOpenness'>;

export interface PerformedStep {
  step: ChallengeStep;
  /** Index (into the given frames) of the frame where the step was first seen. */
  frame: number;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The steps a frame sequence actually performs, in order. A turn is reported when the head
 * goes past TURN_YAW (left or right of the median yaw) and again only after coming back to
 * frontal or turning the other way; a blink is open → closed → open on frames that are not turned.
 * Frames without a face are skipped. Pure; used to verify challenges and to pick test challenges.
 */
export function performedSteps(frames: readonly PoseFrame[]): { baselineYaw: number | null; steps: PerformedStep[] } {
  const baselineYaw = median(frames.flatMap((f) => (f.yaw === null ? [] : [f.yaw])));
  const steps: PerformedStep[] = [];
  if (baselineYaw === null) return { baselineYaw, steps };
  let lastTurn: ChallengeStep | null = null;
  let sawOpen = false;
  let closedAt: number | null = null;
  frames.forEach((frame, index) => {
    if (frame.yaw === null) return;
    const delta = frame.yaw - baselineYaw;
    const turn: ChallengeStep | null = delta <= -TURN_YAW ? 'turn_left' : delta >= TURN_YAW ? 'turn_right' : null;
    if (turn) {
      if (turn !== lastTurn) steps.push({ step: turn, frame: index });
      lastTurn = turn;
      return;
    }
    if (Math.abs(delta) <= FRONTAL_YAW) lastTurn = null;
    if (frame.leftEyeOpenness === null || frame.rightEyeOpenness === null) return;
    const openness = (frame.leftEyeOpenness + frame.rightEyeOpenness) / 2;
    if (openness >= OPEN_EYES) {
      if (closedAt !== null) steps.push({ step: 'blink', frame: closedAt });
      closedAt = null;
      sawOpen = true;
    } else if (openness <= CLOSED_EYES && sawOpen && closedAt === null) {
      closedAt = index;
    }
  });
  return { baselineYaw, steps };
}
