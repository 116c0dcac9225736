// 1:N search speed: node bench/template-index.ts [--identities 100000] [--dimensions 128] [--searches 50]
// Fills a TemplateIndex with random unit templates (a face template is 128 numbers, FACE_TEMPLATE_DIMENSIONS)
// and times searches on one core. LAST line: {"identities","dimensions","ms_per_search","build_ms","rss_mb"}.
import { parseArgs } from 'node:util';
import { TemplateIndex } from '../src/biometrics/template-index.ts';

const { values: args } = parseArgs({
  options: {
    identities: { type: 'string', default: '100000' },
    dimensions: { type: 'string', default: '128' },
    searches: { type: 'string', default: '50' },
  },
});
const identities = Number(args.identities);
const dimensions = Number(args.dimensions);
const searches = Number(args.searches);

// Deterministic pseudo-random templates (xorshift), so runs are comparable.
let state = 0x9e3779b9;
const random = (): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x1_0000_0000 - 0.5;
};
const template = (): number[] => Array.from({ length: dimensions }, random);

const index = new TemplateIndex();
const built = performance.now();
for (let i = 0; i < identities; i++) index.add(`identity-${i}`, template());
const buildMs = performance.now() - built;

const queries = Array.from({ length: searches }, template);
index.search(queries[0]!, { threshold: 0.928, limit: 5 }); // warm up the JIT
const times: number[] = [];
for (const query of queries) {
  const started = performance.now();
  index.search(query, { threshold: 0.928, limit: 5 });
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const mean = times.reduce((s, t) => s + t, 0) / times.length;
const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
const rssMB = Math.round(process.memoryUsage().rss / 1e6);
console.log(`identities=${identities} dimensions=${dimensions} build=${(buildMs / 1000).toFixed(1)}s`);
console.log(`search: mean ${mean.toFixed(1)} ms, p50 ${times[times.length >> 1]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${searches} searches, one core)`);
console.log(`rss=${rssMB}MB`);
console.log(JSON.stringify({ identities, dimensions, ms_per_search: Number(mean.toFixed(2)), build_ms: Math.round(buildMs), rss_mb: rssMB }));
