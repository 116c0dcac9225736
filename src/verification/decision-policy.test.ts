import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type DocumentOutcome } from './decision-policy.ts';

const validDocument: DocumentOutcome = {
  found: true,
  mrzValid: true,
  items: [{ key: 'documentNumberCheckDigit', value: true, status: 'OK' }, { key: 'expirationDateValidity', value: true, status: 'OK' }],
  reasons: [],
};

test('a valid document and a matching selfie succeed', () => {
  const d = decide(validDocument, { documentFaceFound: true, selfieReasons: [], similarity: 0.8, threshold: 0.5 });
  assert.equal(d.state, 'succeeded');
  assert.equal(d.scores.overall.status, 'OK');
  assert.deepEqual(d.reasons, []);
});

test('a selfie below the threshold fails with face_mismatch', () => {
  const d = decide(validDocument, { documentFaceFound: true, selfieReasons: [], similarity: 0.3, threshold: 0.5 });
  assert.equal(d.state, 'failed');
  assert.equal(d.scores.faceRecognition.overall.status, 'FAIL');
  assert.deepEqual(d.reasons, ['face_mismatch']);
});

test('a broken check digit fails even when the face matches', () => {
  const broken: DocumentOutcome = {
    found: true,
    mrzValid: false,
    items: [{ key: 'documentNumberCheckDigit', value: false, status: 'FAIL' }],
    reasons: ['mrz_check_digit_failed'],
  };
  const d = decide(broken, { documentFaceFound: true, selfieReasons: [], similarity: 0.9, threshold: 0.5 });
  assert.equal(d.state, 'failed');
  assert.equal(d.scores.idValidation.overall.status, 'FAIL');
  assert.deepEqual(d.reasons, ['mrz_check_digit_failed']);
});

test('no face in the selfie fails with the selfie reason, not a mismatch', () => {
  const d = decide(validDocument, { documentFaceFound: true, selfieReasons: ['face_not_found'], similarity: null, threshold: 0.5 });
  assert.equal(d.state, 'failed');
  assert.deepEqual(d.reasons, ['face_not_found']);
});

test('a document without an MRZ fails', () => {
  const d = decide({ found: false, mrzValid: false, items: [], reasons: ['mrz_not_found'] },
    { documentFaceFound: false, selfieReasons: [], similarity: null, threshold: 0.5 });
  assert.equal(d.state, 'failed');
  assert.deepEqual(d.reasons, ['mrz_not_found', 'document_face_not_found']);
});

test('a matching selfie with a document check that only warns goes to review', () => {
  const unconfirmed: DocumentOutcome = {
    ...validDocument,
    items: [...validDocument.items, { key: 'fullNameCrosscheck', value: false, status: 'WARN' }],
    reasons: ['mrz_name_unconfirmed'],
  };
  const d = decide(unconfirmed, { documentFaceFound: true, selfieReasons: [], similarity: 0.8, threshold: 0.5 });
  assert.equal(d.state, 'pending_review');
  assert.equal(d.scores.overall.status, 'WARN');
  assert.deepEqual(d.reasons, ['mrz_name_unconfirmed']);
  const mismatch = decide(unconfirmed, { documentFaceFound: true, selfieReasons: [], similarity: 0.1, threshold: 0.5 });
  assert.equal(mismatch.state, 'failed');
});
