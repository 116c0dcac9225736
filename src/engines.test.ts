import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { createEngines } from './engines.ts';
import { currentThreadId, threadCpu, ticksByNice } from './platform/index.ts';
import { face } from '../test/helpers/fixtures.ts';
import { generatePassport } from '../test/support/synthetic-document.ts';

const NICE = 7;

test('document and face work runs on threads at VERID_ENGINE_NICE; the event loop keeps its priority', { skip: process.platform !== 'linux' && 'Linux only: elsewhere priority belongs to the process' }, async () => {
  const passport = await generatePassport({
    issuingCountry: 'CAN', surname: 'TREMBLAY', givenNames: 'NOAH', documentNumber: 'HK5521907', birthDate: '1985-11-02',
    expiryDate: '2031-01-15', sex: 'M', portrait: await face('genuine/london_003/1.jpg'),
  });
  const selfie = await face('genuine/london_003/2.jpg');
  const engines = createEngines({ engineThreads: 1, faceMatchThreshold: null, engineNice: NICE });
  try {
    const before = threadCpu();
    const [reading, analysis] = await Promise.all([engines.documents.read(passport), engines.faces.analyze(selfie, 'selfie')]);
    const spent = ticksByNice(before, threadCpu());
    assert.equal(reading.fields?.surname, 'TREMBLAY');
    assert.equal(analysis.faceCount, 1);
    // The rest is V8's shared compiler and GC threads and libvips' (through libuv's pool): process-wide, at the process's priority.
    const total = [...spent.values()].reduce((sum, ticks) => sum + ticks, 0);
    const niced = spent.get(NICE) ?? 0;
    assert.ok(niced / total >= 0.6, `ticks by nice value: ${JSON.stringify(Object.fromEntries(spent))}`);
    assert.ok(getPriority(currentThreadId()) < NICE, `the event loop thread runs at nice ${getPriority(currentThreadId())}`);
  } finally {
    await engines.close();
  }
});
