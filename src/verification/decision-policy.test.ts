import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type DocumentOutcome, type FaceOutcome } from './decision-policy.ts';

const validDocument: DocumentOutcome = {
  found: true,
  dataValid: true,
  items: [{ key: 'documentNumberCheckDigit', value: true, status: 'OK' }, { key: 'expirationDateValidity', value: true, status: 'OK' }],
  reasons: [],
};
const match: FaceOutcome = { referenceFound: true, selfieReasons: [], similarity: 0.95, threshold: 0.928 };

test('a valid document and a matching selfie succeed', () => {
  const d = decide({ mode: 'enroll', document: validDocument, face: match });
  assert.equal(d.state, 'succeeded');
  assert.equal(d.scores.overall.status, 'OK');
  assert.equal(d.scores.faceRecognition.existingUser, false);
  assert.deepEqual(d.reasons, []);
});

test('a selfie below the threshold fails with face_mismatch', () => {
  const d = decide({ mode: 'enroll', document: validDocument, face: { ...match, similarity: 0.5 } });
  assert.equal(d.state, 'failed');
  assert.equal(d.scores.faceRecognition.overall.status, 'FAIL');
  assert.deepEqual(d.reasons, ['face_mismatch']);
});

test('a broken check digit fails even when the face matches', () => {
  const broken: DocumentOutcome = {
    found: true, dataValid: false, items: [{ key: 'documentNumberCheckDigit', value: false, status: 'FAIL' }], reasons: ['mrz_check_digit_failed'],
  };
  const d = decide({ mode: 'enroll', document: broken, face: match });
  assert.equal(d.state, 'failed');
  assert.equal(d.scores.idValidation.overall.status, 'FAIL');
  assert.deepEqual(d.reasons, ['mrz_check_digit_failed']);
});

test('an invalid MRZ fails even when no item says FAIL', () => {
  const d = decide({ mode: 'enroll', document: { ...validDocument, dataValid: false, reasons: ['mrz_field_invalid'] }, face: match });
  assert.equal(d.state, 'failed');
});

test('no face in the selfie fails with the selfie reason, not a mismatch', () => {
  const d = decide({ mode: 'enroll', document: validDocument, face: { ...match, selfieReasons: ['face_not_found'], similarity: null } });
  assert.equal(d.state, 'failed');
  assert.deepEqual(d.reasons, ['face_not_found']);
});

test('a document without an MRZ fails', () => {
  const d = decide({
    mode: 'enroll', document: { found: false, dataValid: false, items: [], reasons: ['mrz_not_found'] },
    face: { ...match, referenceFound: false, similarity: null },
  });
  assert.equal(d.state, 'failed');
  assert.deepEqual(d.reasons, ['mrz_not_found', 'document_face_not_found']);
});

test('a matching selfie with a document check that only warns goes to review', () => {
  const unconfirmed: DocumentOutcome = {
    ...validDocument, items: [...validDocument.items, { key: 'fullNameCrosscheck', value: false, status: 'WARN' }], reasons: ['mrz_name_unconfirmed'],
  };
  const d = decide({ mode: 'enroll', document: unconfirmed, face: match });
  assert.equal(d.state, 'pending_review');
  assert.equal(d.scores.overall.status, 'WARN');
  assert.deepEqual(d.reasons, ['mrz_name_unconfirmed']);
  assert.equal(decide({ mode: 'enroll', document: unconfirmed, face: { ...match, similarity: 0.1 } }).state, 'failed');
});

test('a face that already belongs to another identity goes to review with existingUser', () => {
  const d = decide({ mode: 'enroll', document: validDocument, face: match, duplicate: { identityId: 'id-9', interviewId: 'iv-9' } });
  assert.equal(d.state, 'pending_review');
  assert.equal(d.scores.faceRecognition.existingUser, true);
  assert.equal(d.scores.faceRecognition.existingInterviewId, 'iv-9');
  assert.deepEqual(d.reasons, ['duplicate_identity']);
});

test('liveness: a failed challenge fails; a missing one fails only when required', () => {
  const failed = decide({ mode: 'enroll', document: validDocument, face: match, liveness: { status: 'FAIL', required: false, livenessScore: 0.2, reasons: ['challenge_not_performed'] } });
  assert.equal(failed.state, 'failed');
  assert.deepEqual(failed.reasons, ['challenge_not_performed']);
  const optional = decide({ mode: 'enroll', document: validDocument, face: match, liveness: { status: 'UNKNOWN', required: false, livenessScore: null, reasons: [] } });
  assert.equal(optional.state, 'succeeded');
  assert.equal(optional.scores.liveness.activeChallenge, 'UNKNOWN');
  const required = decide({ mode: 'enroll', document: validDocument, face: match, liveness: { status: 'UNKNOWN', required: true, livenessScore: null, reasons: [] } });
  assert.deepEqual(required.reasons, ['liveness_not_performed']);
  const passed = decide({ mode: 'enroll', document: validDocument, face: match, liveness: { status: 'OK', required: true, livenessScore: 0.9, reasons: [] } });
  assert.equal(passed.state, 'succeeded');
  assert.equal(passed.scores.liveness.livenessScore, 0.9);
});

test('re-verification compares with the enrolled face and reports authentication', () => {
  const ok = decide({ mode: 'reverify', face: match, identityId: 'id-1', liveness: { status: 'OK', required: true, livenessScore: 0.8, reasons: [] } });
  assert.equal(ok.state, 'succeeded');
  assert.deepEqual(ok.scores.authentication, { overall: { value: 1, status: 'OK' }, identityId: 'id-1' });
  const no = decide({ mode: 'reverify', face: { ...match, similarity: 0.2 }, identityId: 'id-1' });
  assert.equal(no.state, 'failed');
  assert.equal(no.scores.authentication?.identityId, null);
  assert.equal(no.scores.idValidation.overall.status, 'UNKNOWN', 'no document in a re-verification');
});
