import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheEngines } from './analysis-cache.ts';
import type { DocumentEngine, FaceEngine } from './engine-ports.ts';

function counting() {
  const calls = { read: 0, analyze: 0 };
  let failNext = false;
  const documents: DocumentEngine = {
    read: async () => { calls.read++; return { fields: null, mrzValid: false, dataValid: false, items: [], reasons: ['mrz_not_found'] }; },
    matchName: () => ({ item: { key: 'nameMatch', value: null, status: 'UNKNOWN' }, reasons: [] }),
  };
  const faces: FaceEngine = {
    analyze: async () => {
      calls.analyze++;
      if (failNext) { failNext = false; throw new Error('worker crashed'); }
      return { faceCount: 1, embedding: [1, 0], reasons: [] };
    },
    similarity: () => 1,
    threshold: 0.5,
  };
  return { calls, documents, faces, failNextAnalysis: () => { failNext = true; } };
}

test('a prefetched image is not analysed again, whoever asks for it', async () => {
  const engines = counting();
  const cached = cacheEngines(engines.documents, engines.faces);
  const front = Buffer.from('front image');
  const selfie = Buffer.from('selfie image');
  cached.prefetch('front', front);
  cached.prefetch('face', selfie);
  await cached.documents.read(front);
  await cached.faces.analyze(front, 'document');
  await cached.faces.analyze(selfie, 'selfie');
  await cached.faces.analyze(Buffer.from('selfie image'), 'selfie');
  assert.deepEqual(engines.calls, { read: 1, analyze: 2 });
  await cached.faces.analyze(selfie, 'document');
  assert.equal(engines.calls.analyze, 3, 'the kind of analysis is part of the key');
  await cached.documents.read(front, Buffer.from('back'));
  assert.equal(engines.calls.read, 2, 'a back changes the reading');
});

test('a failed analysis is not cached', async () => {
  const engines = counting();
  const cached = cacheEngines(engines.documents, engines.faces);
  engines.failNextAnalysis();
  await assert.rejects(cached.faces.analyze(Buffer.from('x'), 'selfie'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await cached.faces.analyze(Buffer.from('x'), 'selfie')).faceCount, 1);
  assert.equal(engines.calls.analyze, 2);
});

test('entries expire and the cache stays bounded', async () => {
  const engines = counting();
  const cached = cacheEngines(engines.documents, engines.faces, { max: 2, ttlMs: 60_000 });
  for (const name of ['a', 'b', 'c']) await cached.faces.analyze(Buffer.from(name), 'selfie');
  await cached.faces.analyze(Buffer.from('a'), 'selfie');
  assert.equal(engines.calls.analyze, 4, 'the oldest entry was evicted');
  const short = cacheEngines(engines.documents, engines.faces, { max: 8, ttlMs: 0 });
  await short.faces.analyze(Buffer.from('z'), 'selfie');
  await short.faces.analyze(Buffer.from('z'), 'selfie');
  assert.equal(engines.calls.analyze, 6);
});

test('a session flooding uploads gets one prefetch per kind in flight; other sessions are not affected', async () => {
  const engines = counting();
  const cached = cacheEngines(engines.documents, engines.faces);
  for (let i = 0; i < 20; i++) cached.prefetch('face', Buffer.from(`flood ${i}`), 'attacker');
  cached.prefetch('face', Buffer.from('a real selfie'), 'someone-else');
  assert.equal(engines.calls.analyze, 2, 'one for the flooding session, one for the other');
  await new Promise((resolve) => setImmediate(resolve));
  cached.prefetch('face', Buffer.from('flood after'), 'attacker');
  assert.equal(engines.calls.analyze, 3, 'the next upload is prefetched once the first is done');
});
