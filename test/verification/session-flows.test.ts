import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { face } from '../helpers/fixtures.ts';
import { DataCipher } from '../../src/security/index.ts';
import { IdentityRepository } from '../../src/storage/index.ts';
import { verid } from '../helpers/cli.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport, type SyntheticDocumentSpec } from '../support/synthetic-document.ts';
import { generateDriverLicence } from '../support/synthetic-licence.ts';

describe('verification flows: retries, re-verification, duplicates', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ overrides: { maxCaptureAttempts: 2 } });
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  async function start(expectedName: string | null = null) {
    return server.app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() }, expectedName,
    });
  }

  const call = (token: string, path: string, body?: Buffer) => omniCall(server.baseUrl, token, path, body);

  function passport(spec: Partial<SyntheticDocumentSpec> & { portrait: Buffer }) {
    return generatePassport({
      issuingCountry: 'GBR', surname: 'PATEL', givenNames: 'ARJUN', documentNumber: 'K7301842', birthDate: '1988-02-29',
      expiryDate: '2030-05-31', sex: 'M', ...spec,
    });
  }

  const blank = () => sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8c2b8' } }).jpeg().toBuffer();

  test('a selfie without a face asks for another one; a good one then completes the session', async () => {
    const { token } = await start();
    await call(token, '/omni/add/front-id', await passport({ portrait: await face('genuine/london_001/1.jpg'), documentNumber: 'R5521870' }));
    await call(token, '/omni/add/face', await blank());
    const retry = await call(token, '/omni/process/face');
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.retryable, true);
    assert.equal(retry.body.state, 'face_captured');
    assert.deepEqual(retry.body.reasons, ['face_not_found']);
    assert.match(String((retry.body.messages as string[])[0]), /face/);
    await call(token, '/omni/add/face', await face('genuine/london_001/2.jpg'));
    const done = await call(token, '/omni/process/face');
    assert.equal(done.body.state, 'succeeded', JSON.stringify(done.body));
    assert.equal(done.body.retryable, false);
  });

  test('a US driver licence (front + PDF417 back) enrols: the barcode is the machine-readable data', async () => {
    const { token } = await start();
    const licence = await generateDriverLicence({
      country: 'USA', jurisdiction: 'IL', surname: 'Okafor', firstName: 'Grace', documentNumber: 'O5521-88310-24', birthDate: '1991-04-12',
      expiryDate: '2031-04-12', sex: 'F', portrait: await face('genuine/london_002/1.jpg'),
    });
    await call(token, '/omni/add/front-id', licence.front);
    await call(token, '/omni/add/back-id', licence.back);
    const read = await call(token, '/omni/process/id');
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual(read.body.reasons, []);
    assert.equal(read.body.mrzValid, false, 'a licence has no MRZ');
    assert.equal(read.body.dataValid, true);
    assert.deepEqual(read.body.overall, { value: 1, status: 'OK' });
    await call(token, '/omni/add/face', await face('genuine/london_002/2.jpg'));
    const done = await call(token, '/omni/process/face');
    assert.equal(done.body.state, 'succeeded', JSON.stringify(done.body));
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.deepEqual(scores.idValidation.overall, read.body.overall, '/omni/process/id reports what the decision used');
  });

  test('the document name is matched against the expected (invitation) name: match, near match, mismatch', async () => {
    const outcomes: Array<[string, string, string | null, string]> = [
      ['Arjun R. Patel', 'succeeded', null, 'OK'], // middle initial, other order of case: a match
      ['Arjun Patil', 'pending_review', 'name_near_match', 'WARN'],
      ['Maria Gonzalez', 'failed', 'name_mismatch', 'FAIL'],
    ];
    for (const [index, [expected, state, reason, status]] of outcomes.entries()) {
      const { token } = await start(expected);
      // people no other test here enrols, so no duplicate review gets in the way
      const portrait = ['congress_B000716', 'congress_B000911', 'webmorph_zoom'][index]!;
      await call(token, '/omni/add/front-id', await passport({ portrait: await face(`genuine/${portrait}/1.jpg`), documentNumber: `W${4410270 + index}` }));
      const read = await call(token, '/omni/process/id');
      assert.equal((read.body.idSpecific as Array<{ key: string; status: string }>).find((item) => item.key === 'nameMatch')?.status, status, expected);
      await call(token, '/omni/add/face', await face(`genuine/${portrait}/2.jpg`));
      const decided = await call(token, '/omni/process/face');
      assert.equal(decided.body.state, state, `${expected}: ${JSON.stringify(decided.body)}`);
      assert.deepEqual(decided.body.reasons, reason ? [reason] : [], expected);
      const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } })).json();
      assert.equal(scores.faceRecognition.nameMatch, status);
    }
  });

  test('an abandoned session is expired by the sweep, without anyone reading it, and the outbox says so', async () => {
    const { session } = await start();
    const later = Date.now() + server.config.sessionTtlSeconds * 1000 + 1000;
    assert.ok(await server.app.verification.expireDue(later) >= 1);
    const row = await server.app.database.db.selectFrom('verification_sessions').select(['state', 'reasons']).where('id', '=', session.interviewId).executeTakeFirstOrThrow();
    assert.deepEqual([row.state, JSON.parse(row.reasons)], ['expired', ['session_expired']]);
    const outbox = await server.app.database.db.selectFrom('webhook_outbox').select(['event_type', 'client_id']).where('session_id', '=', session.interviewId).execute();
    assert.deepEqual(outbox.map((o) => o.event_type), ['session.expired']);
    assert.equal(await server.app.verification.expireDue(later), 0, 'once');
  });

  test('mode auto re-verifies when an identity is bound and enrols otherwise', async () => {
    const base = { origin: 'omni', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() } } as const;
    assert.equal((await server.app.verification.start({ ...base, mode: 'auto' })).session.mode, 'enroll');
    const identities = new IdentityRepository(server.app.database.db, new DataCipher(server.config.masterKey));
    const bound = await identities.enroll(['auto-mode-test'], {
      givenName: 'Ada', familyName: 'Byron', birthdate: null, gender: 'female', verifiedAt: 0, interviewId: 'none', checks: [],
      document: { type: 'passport', issuingCountry: 'GBR', number: 'X1', expiryDate: null },
    }, [0.6, 0.8]);
    assert.equal((await server.app.verification.start({ ...base, mode: 'auto', identityId: bound })).session.mode, 'reverify');
  });

  test('an unreadable document can be retaken until the attempt limit, then the session fails', async () => {
    const { token } = await start();
    await call(token, '/omni/add/front-id', await face('genuine/london_002/1.jpg'));
    const first = await call(token, '/omni/process/id');
    assert.equal(first.body.retryable, true, JSON.stringify(first.body));
    assert.equal(first.body.state, 'id_captured');
    const second = await call(token, '/omni/process/id');
    assert.equal(second.body.state, 'failed');
    assert.equal(second.body.retryable, false);
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } })).json();
    // One source of truth: the scores say what the session says.
    assert.equal(scores.state, 'failed');
    assert.equal(scores.overall.status, 'FAIL');
    assert.ok(scores.reasons.includes('too_many_attempts'), JSON.stringify(scores.reasons));
    assert.deepEqual(scores.reasons, (await server.app.verification.find(second.body.interviewId))?.reasons);
    const late = await call(token, '/omni/add/front-id', await blank());
    assert.equal(late.status, 409);
    assert.equal((late.body.error as { code: string }).code, 'session_closed');
  });

  test('the same face enrolling with another document goes to review; only the record says it is a duplicate', async () => {
    const first = await start();
    await call(first.token, '/omni/add/front-id', await passport({ portrait: await face('genuine/london_005/1.jpg'), surname: 'NOVAK', documentNumber: 'N4412093' }));
    await call(first.token, '/omni/add/face', await face('genuine/london_005/2.jpg'));
    assert.equal((await call(first.token, '/omni/process/face')).body.state, 'succeeded');

    const second = await start();
    await call(second.token, '/omni/add/front-id', await passport({ portrait: await face('genuine/london_005/2.jpg'), surname: 'NOVAKOVA', documentNumber: 'Z9904417' }));
    await call(second.token, '/omni/add/face', await face('genuine/london_005/1.jpg'));
    const review = await call(second.token, '/omni/process/face');
    assert.equal(review.body.state, 'pending_review', JSON.stringify(review.body));
    // The capture client learns that a review is needed, not that this face is enrolled as someone else.
    assert.deepEqual(review.body.reasons, []);
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${second.token}` } })).json();
    assert.deepEqual([scores.faceRecognition.existingUser, scores.faceRecognition.existingInterviewId, scores.reasons], [null, null, []]);
    // The record (for reviewers and, later, authenticated API clients) says why.
    const recorded = (await server.app.verification.find(second.session.interviewId))!;
    assert.deepEqual(recorded.reasons, ['duplicate_identity']);
    assert.equal(recorded.scores?.faceRecognition.existingUser, true);
    assert.equal(recorded.scores?.faceRecognition.existingInterviewId, first.session.interviewId);

    // Holding up the enrolled face as "document" and as selfie does not reveal it is enrolled.
    const probe = await start();
    await call(probe.token, '/omni/add/front-id', await face('genuine/london_005/1.jpg'));
    await call(probe.token, '/omni/add/face', await face('genuine/london_005/2.jpg'));
    await call(probe.token, '/omni/process/id');
    const probed = await call(probe.token, '/omni/process/face');
    assert.equal(probed.body.state, 'failed', JSON.stringify(probed.body));
    assert.ok(!(await server.app.verification.find(probe.session.interviewId))!.reasons.includes('duplicate_identity'), 'no 1:N search without a valid document');

    // A reviewer decides: the reason is a code, approval enrols the identity, closing freezes it.
    const id = second.session.interviewId;
    await assert.rejects(verid(server.config, ['sessions', 'approve', id, '--reason', 'Looks like Jana Novakova']), 'free text is refused');
    const approved = await verid(server.config, ['sessions', 'approve', id, '--reason', 'same_person_new_passport']) as Record<string, unknown>;
    assert.equal(approved.state, 'approved');
    assert.ok(approved.identity_id, 'the approved enrolment has an identity');
    assert.deepEqual(approved.reasons, ['duplicate_identity', 'same_person_new_passport']);
    await assert.rejects(verid(server.config, ['sessions', 'reject', id, '--reason', 'changed_mind']), 'only a pending review can be decided');
    assert.equal((await verid(server.config, ['sessions', 'close', id]) as Record<string, unknown>).state, 'closed');
    const outbox = await server.app.database.db.selectFrom('webhook_outbox').select('event_type').where('session_id', '=', id).orderBy('created_at').execute();
    assert.deepEqual(outbox.map((o) => o.event_type), ['session.pending_review', 'review.approved', 'session.closed']);
  });
});
