import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IdentityClaims } from '../verification/index.ts';
import { standardClaims, verifiedClaims } from './account-claims.ts';

const identity: IdentityClaims = {
  givenName: 'Olivia Rose', familyName: 'Evans', birthdate: '1990-04-17', gender: 'female',
  document: { type: 'id_card', issuingCountry: 'DEU', number: 'T22000129', expiryDate: null },
  verifiedAt: Date.UTC(2026, 10, 26, 10, 0, 0), interviewId: 'iv1',
  checks: [{ checkMethod: 'vri', time: Date.UTC(2026, 10, 26, 10, 0, 0) }],
};

test('standard claims come from the document; never an e-mail (verid has not proved one)', () => {
  const claims = standardClaims('sub-1', identity);
  assert.equal(claims.name, 'Olivia Rose Evans');
  assert.equal(claims.email, undefined);
  assert.equal(claims.gender, 'female');
});

test('verified_claims carry the evidence and only the requested claims', () => {
  const all = verifiedClaims(identity, 'verid', null) as { verification: { evidence: Array<Record<string, unknown>>; time: string }; claims: object };
  assert.deepEqual(Object.keys(all.claims).sort(), ['birthdate', 'family_name', 'gender', 'given_name', 'name']);
  assert.equal(all.verification.time, '2026-11-26T10:00:00Z');
  assert.deepEqual(all.verification.evidence[0]!.document_details, { type: 'idcard', document_number: 'T22000129', issuer: { country_code: 'DEU' } });
  const some = verifiedClaims(identity, 'verid', { claims: { birthdate: null, email: null, nonsense: null } }) as { claims: object };
  assert.deepEqual(some.claims, { birthdate: '1990-04-17' });
});
