import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceSimilarity } from './face-similarity.ts';
import { TemplateIndex } from './template-index.ts';

const vectors: Record<string, number[]> = {
  alice: [1, 0, 0, 0],
  bob: [0, 1, 0, 0],
  carol: [0.9, 0.1, 0.1, 0],
  dave: [0, 0, 1, 0],
};

function filled(): TemplateIndex {
  const index = new TemplateIndex();
  for (const [id, v] of Object.entries(vectors)) index.add(id, v);
  return index;
}

test('search returns matches at or above the threshold, best first, with faceSimilarity scores', () => {
  const query = [2, 0.1, 0, 0]; // not unit length: the index normalises
  const matches = filled().search(query, { threshold: 0.5, limit: 10 });
  assert.deepEqual(matches.map((m) => m.id), ['alice', 'carol']);
  for (const m of matches) assert.ok(Math.abs(m.similarity - faceSimilarity(query, vectors[m.id]!)) < 1e-6);
});

test('limit keeps only the best matches; nothing above the threshold is an empty list', () => {
  const index = filled();
  assert.deepEqual(index.search([1, 0, 0, 0], { threshold: 0, limit: 1 }).map((m) => m.id), ['alice']);
  assert.deepEqual(index.search([0, 0, 0, 1], { threshold: 0.5, limit: 5 }), []);
});

test('remove deletes one identity and keeps every other searchable', () => {
  const index = filled();
  assert.equal(index.remove('alice'), true);
  assert.equal(index.remove('alice'), false);
  assert.equal(index.size, 3);
  assert.deepEqual(index.search([1, 0, 0, 0], { threshold: 0.5, limit: 5 }).map((m) => m.id), ['carol']);
  for (const id of ['bob', 'carol', 'dave']) assert.equal(index.search(vectors[id]!, { threshold: 0.999, limit: 1 })[0]?.id, id);
});

test('adding an existing id replaces its template', () => {
  const index = filled();
  index.add('dave', [1, 0, 0, 0]);
  assert.equal(index.size, 4);
  assert.deepEqual(index.search([0, 0, 1, 0], { threshold: 0.5, limit: 5 }), []);
  assert.deepEqual(index.search([1, 0, 0, 0], { threshold: 0.99, limit: 5 }).map((m) => m.id).sort(), ['alice', 'dave']);
});

test('grows past its initial capacity and agrees with a brute-force faceSimilarity scan', () => {
  const index = new TemplateIndex();
  const stored: Array<[string, number[]]> = [];
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  for (let i = 0; i < 3000; i++) {
    const v = Array.from({ length: 8 }, random);
    stored.push([`id${i}`, v]);
    index.add(`id${i}`, v);
  }
  const query = stored[1234]![1].map((x) => x + random() * 0.05);
  const expected = stored
    .map(([id, v]) => ({ id, similarity: faceSimilarity(query, v) }))
    .filter((m) => m.similarity >= 0.9)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 5);
  const actual = index.search(query, { threshold: 0.9, limit: 5 });
  assert.deepEqual(actual.map((m) => m.id), expected.map((m) => m.id));
  assert.equal(actual[0]?.id, 'id1234');
});

test('a template of the wrong length is refused on add and matches nothing on search', () => {
  const index = filled();
  assert.throws(() => index.add('eve', [1, 0, 0]), RangeError);
  assert.throws(() => index.add('eve', [0, 0, 0, 0]), RangeError);
  assert.deepEqual(index.search([1, 0, 0], { threshold: 0, limit: 5 }), []);
  assert.deepEqual(new TemplateIndex().search([1, 0], { threshold: 0, limit: 5 }), []);
});

test('odd dimensions (padded rows) stay exact after searches, adds and removes interleave', () => {
  const index = new TemplateIndex();
  index.add('a', [1, 2, 3, 4, 5]);
  index.add('b', [5, 4, 3, 2, 1]);
  assert.equal(index.search([1, 2, 3, 4, 5], { threshold: 0.99, limit: 5 })[0]?.id, 'a');
  index.add('c', [0, 0, 0, 0, 1]); // lands where the previous search wrote its scores
  index.remove('a');
  const matches = index.search([0, 0, 0, 0, 1], { threshold: 0, limit: 5 });
  assert.deepEqual(matches.map((m) => m.id), ['c', 'b']);
  assert.ok(Math.abs(matches[1]!.similarity - faceSimilarity([0, 0, 0, 0, 1], [5, 4, 3, 2, 1])) < 1e-6);
});
