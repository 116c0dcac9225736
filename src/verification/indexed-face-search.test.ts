import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateIndex } from '../biometrics/index.ts';
import { IndexedFaceSearch } from './indexed-face-search.ts';
import type { IdentityStore } from './ports.ts';

const row = (identityId: string, template: number[], updatedAt: number, environment: 'demo' | 'production' = 'production') => ({
  identityId, template, interviewId: `iv-${identityId}`, updatedAt, environment,
});
const production = { environment: 'production' } as const;

test('duplicate search finds enrolled faces and leaves out templates of an earlier face model', async () => {
  const rows = [
    row('old', [1, 0, 0, 0, 0, 0], 1), // six numbers: another model's template, first in the store
    row('alice', [1, 0, 0, 0], 2),
    row('bob', [0, 1, 0, 0], 3),
  ];
  const identities = { listTemplates: async (since: number) => rows.filter((r) => r.updatedAt > since) } as unknown as IdentityStore;
  const search = new IndexedFaceSearch(new TemplateIndex(4), identities, () => 0.9);
  assert.deepEqual(await search.findDuplicate([0.99, 0.05, 0, 0], production), { identityId: 'alice', interviewId: 'iv-alice' });
  assert.equal(await search.findDuplicate([0.99, 0.05, 0, 0], { ...production, excludeIdentityId: 'alice' }), null);
  assert.equal(await search.findDuplicate([0, 0, 1, 0], production), null);
  // enrolments by another instance are picked up on the next search
  rows.push(row('carol', [0, 0, 1, 0], 4));
  assert.deepEqual(await search.findDuplicate([0, 0, 1, 0], production), { identityId: 'carol', interviewId: 'iv-carol' });
});

test('demo and production enrolments are never duplicates of each other', async () => {
  const rows = [row('demo-face', [1, 0, 0, 0], 1, 'demo'), row('prod-face', [0, 1, 0, 0], 2)];
  const identities = { listTemplates: async (since: number) => rows.filter((r) => r.updatedAt > since) } as unknown as IdentityStore;
  const search = new IndexedFaceSearch(new TemplateIndex(4), identities, () => 0.9);
  assert.equal(await search.findDuplicate([1, 0, 0, 0], production), null, 'a face enrolled in demo does not hold up a production enrolment');
  assert.equal((await search.findDuplicate([1, 0, 0, 0], { environment: 'demo' }))?.identityId, 'demo-face');
  assert.equal(await search.findDuplicate([0, 1, 0, 0], { environment: 'demo' }), null);
});
