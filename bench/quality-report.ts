// Selfie-quality section of bench/eval-faces.ts: how the gates in src/biometrics/selfie-quality.ts
// judge the genuine fixture photos (which should pass), to calibrate SELFIE_QUALITY_LIMITS.
import type { FaceAnalysis } from '../src/biometrics/index.ts';

export function qualityReport(analyses: ReadonlyArray<{ file: string; analysis: Pick<FaceAnalysis, 'quality' | 'reasons'> }>): void {
  const genuine = analyses.filter((a) => a.file.startsWith('genuine'));
  console.log(`\nSELFIE QUALITY on ${genuine.length} genuine photos (value quantiles; FAIL count per reason)`);
  const keys = [...new Set(genuine.flatMap((a) => a.analysis.quality.map((q) => q.key)))];
  for (const key of keys) {
    const values = genuine.flatMap((a) => a.analysis.quality.filter((q) => q.key === key && typeof q.value === 'number').map((q) => q.value as number));
    const statuses = genuine.flatMap((a) => a.analysis.quality.filter((q) => q.key === key).map((q) => q.status));
    const count = (s: string): number => statuses.filter((x) => x === s).length;
    if (values.length === 0) {
      console.log(`  ${key.padEnd(10)} not measured (${count('UNKNOWN')} UNKNOWN)`);
      continue;
    }
    const s = [...values].sort((a, b) => a - b);
    const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
    console.log(
      `  ${key.padEnd(10)} min ${s[0]} p1 ${q(0.01)} p5 ${q(0.05)} median ${q(0.5)} p95 ${q(0.95)} p99 ${q(0.99)} max ${s[s.length - 1]}` +
        `  OK ${count('OK')} WARN ${count('WARN')} FAIL ${count('FAIL')}`,
    );
  }
  const reasons = new Map<string, string[]>();
  for (const a of genuine) for (const r of a.analysis.reasons) reasons.set(r, [...(reasons.get(r) ?? []), a.file]);
  for (const [reason, files] of [...reasons].sort((x, y) => y[1].length - x[1].length)) {
    console.log(`  ${reason.padEnd(17)} ${String(files.length).padStart(4)}  e.g. ${files.slice(0, 4).join(' ')}`);
  }
}
