/**
 * Verification error rates over scored comparison pairs. Pure: used by bench/eval-faces.ts
 * to calibrate the match threshold. A pair is accepted when `score >= threshold`.
 */
export interface ScoredPairs {
  /** Same-person scores; a missing template is scored -Infinity (always rejected). */
  genuine: readonly number[];
  /** Different-person scores. */
  impostor: readonly number[];
}

export interface ErrorRates {
  threshold: number;
  far: number;
  frr: number;
}

function countAtLeast(sortedAscending: readonly number[], threshold: number): number {
  let lo = 0;
  let hi = sortedAscending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedAscending[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return sortedAscending.length - lo;
}

export function errorRatesAt(pairs: ScoredPairs, threshold: number): ErrorRates {
  const genuine = [...pairs.genuine].sort((a, b) => a - b);
  const impostor = [...pairs.impostor].sort((a, b) => a - b);
  return rates(genuine, impostor, threshold);
}

function rates(genuine: readonly number[], impostor: readonly number[], threshold: number): ErrorRates {
  const far = impostor.length === 0 ? 0 : countAtLeast(impostor, threshold) / impostor.length;
  const frr = genuine.length === 0 ? 0 : (genuine.length - countAtLeast(genuine, threshold)) / genuine.length;
  return { threshold, far, frr };
}

/** Every distinct finite score as a candidate threshold, ascending: FAR falls, FRR rises. */
export function rocCurve(pairs: ScoredPairs): ErrorRates[] {
  const genuine = [...pairs.genuine].sort((a, b) => a - b);
  const impostor = [...pairs.impostor].sort((a, b) => a - b);
  const candidates = [...new Set([...genuine, ...impostor].filter(Number.isFinite))].sort((a, b) => a - b);
  candidates.push(Number.POSITIVE_INFINITY);
  return candidates.map((t) => rates(genuine, impostor, t));
}

/** Lowest threshold whose FAR does not exceed `maxFar` (so the lowest FRR under that FAR). */
export function thresholdForFar(pairs: ScoredPairs, maxFar: number): ErrorRates {
  const curve = rocCurve(pairs);
  return curve.find((point) => point.far <= maxFar) ?? curve[curve.length - 1]!;
}

/** Equal error rate: the point where FAR and FRR cross (their mean at the closest threshold). */
export function equalErrorRate(pairs: ScoredPairs): ErrorRates & { eer: number } {
  let best: ErrorRates = { threshold: Number.POSITIVE_INFINITY, far: 0, frr: 1 };
  for (const point of rocCurve(pairs)) {
    if (Math.abs(point.far - point.frr) < Math.abs(best.far - best.frr)) best = point;
  }
  return { ...best, eer: (best.far + best.frr) / 2 };
}

/**
 * Wilson score interval (95 %) of a rate measured as `errors` out of `trials`. With no errors the
 * upper bound is about 3.8 / trials (the "rule of three" gives 3 / trials): a FAR of 0.01 % can
 * only be claimed from tens of thousands of independent impostor comparisons.
 */
export function rateInterval95(errors: number, trials: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const z = 1.959964;
  const p = errors / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const spread = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return { low: Math.max(0, centre - spread), high: Math.min(1, centre + spread) };
}
