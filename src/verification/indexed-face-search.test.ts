import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateIndex } from '../biometrics/index.ts';
import { IndexedFaceSearch } from './indexed-face-search.ts';
import type { IdentityStore } from './ports.ts';

const row = (identityId: string, template: number[], updatedAt: number) => ({ identityId, template, interviewId: `iv-${identityId}`, updatedAt });

test('duplicate search finds enrolled faces and leaves out templates of an earlier face model', async () => {
  const rows = [
    row('old', [1, 0, 0, 0, 0, 0], 1), // six numbers: another model's template, first in the store
    row('alice', [1, 0, 0, 0], 2),
    row('bob', [0, 1, 0, 0], 3),
  ];
  const identities = { listTemplates: async (since: number) => rows.filter((r) => r.updatedAt > since) } as unknown as IdentityStore;
  const search = new IndexedFaceSearch(new TemplateIndex(4), identities, () => 0.9);
  assert.deepEqual(await search.findDuplicate([0.99, 0.05, 0, 0], {}), { identityId: 'alice', interviewId: 'iv-alice' });
  assert.equal(await search.findDuplicate([0.99, 0.05, 0, 0], { excludeIdentityId: 'alice' }), null);
  assert.equal(await search.findDuplicate([0, 0, 1, 0], {}), null);
  // enrolments by another instance are picked up on the next search
  rows.push(row('carol', [0, 0, 1, 0], 4));
  assert.deepEqual(await search.findDuplicate([0, 0, 1, 0], {}), { identityId: 'carol', interviewId: 'iv-carol' });
});
