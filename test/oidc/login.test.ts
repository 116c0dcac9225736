import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { Browser } from '../helpers/browser.ts';
import { verid } from '../helpers/cli.ts';
import { face } from '../helpers/fixtures.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, REDIRECT_URI } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const HOLDER = {
  issuingCountry: 'GBR', surname: 'EVANS', givenNames: 'OLIVIA ROSE', documentNumber: 'X4B731925',
  birthDate: '1990-04-17', expiryDate: '2033-09-30', sex: 'F' as const,
};

describe('OpenID Connect login through a verification session', () => {
  let server: TestServer;
  let client: { client_id: string; client_secret: string };
  let rp: oidc.Configuration;
  let passport: Buffer;

  before(async () => {
    server = await startTestServer({ captureLogs: true });
    client = await verid(server.config, [
      'clients', 'create', '--name', 'Sample RP', '--redirect-uri', REDIRECT_URI, '--environment', 'demo',
    ]) as typeof client;
    rp = await oidc.discovery(new URL(server.baseUrl), client.client_id, client.client_secret, undefined,
      { execute: [oidc.allowInsecureRequests] });
    passport = await generatePassport({ ...HOLDER, portrait: await face('genuine/london_002/1.jpg') });
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  const authorize = (extra: Record<string, string> = {}) =>
    authorizationRequest(rp, { scope: 'openid profile email identity_assurance', ...extra });

  test('a genuine document and a different photo of the holder log the user in with claims from the document', async () => {
    const request = await authorize({ login_hint: 'olivia.evans@example.com', claims: JSON.stringify({ id_token: { verified_claims: { verification: { trust_framework: null }, claims: { given_name: null, family_name: null, birthdate: null } } } }) });
    const browser = new Browser();
    const result = await verifyInBrowser(browser, request.url, { front: passport, selfie: await face('genuine/london_002/2.jpg') });
    assert.equal(result.processFace?.state, 'succeeded', JSON.stringify(result.processFace));
    assert.equal(result.callback.origin + result.callback.pathname, REDIRECT_URI);
    assert.equal(result.callback.searchParams.get('state'), request.state);
    assert.ok(result.callback.searchParams.get('code'));

    const tokens = await oidc.authorizationCodeGrant(rp, result.callback, {
      pkceCodeVerifier: request.verifier, expectedNonce: request.nonce, expectedState: request.state,
    });
    const jwks = createRemoteJWKSet(new URL('/oauth2/jwks', server.baseUrl));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: server.baseUrl, audience: client.client_id });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.nonce, request.nonce);
    assert.ok(typeof payload.exp === 'number' && payload.exp > Date.now() / 1000);
    assert.equal(payload.name, 'Olivia Rose Evans');
    assert.equal(payload.given_name, 'Olivia Rose');
    assert.equal(payload.family_name, 'Evans');
    assert.equal(payload.birthdate, HOLDER.birthDate);
    assert.equal(payload.gender, 'female');
    // The login_hint came from the browser: it is never asserted as the person's e-mail.
    assert.equal(payload.email, undefined);
    assert.equal(payload.email_verified, undefined);
    assert.deepEqual(payload.amr, ['face']);
    assert.equal(payload.acr, 'urn:verid:acr:document-face');
    const verified = payload.verified_claims as { verification: { evidence: Array<Record<string, unknown>> }; claims: Record<string, unknown> };
    assert.deepEqual(verified.claims, { given_name: 'Olivia Rose', family_name: 'Evans', birthdate: HOLDER.birthDate });
    const evidence = verified.verification.evidence[0]!;
    assert.equal(evidence.type, 'document');
    assert.deepEqual(evidence.document_details, {
      type: 'passport', document_number: HOLDER.documentNumber, date_of_expiry: HOLDER.expiryDate, issuer: { country_code: 'GBR' },
    });
    assert.deepEqual((evidence.check_details as Array<{ check_method: string }>).map((c) => c.check_method), ['vri', 'bvr']);

    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, payload.sub!);
    assert.equal(userinfo.sub, payload.sub);
    assert.equal(userinfo.given_name, 'Olivia Rose');
    assert.equal(userinfo.family_name, 'Evans');
    assert.equal(userinfo.birthdate, HOLDER.birthDate);

    // the same document verified again is the same identity: `sub` is stable
    const again = await authorize({ prompt: 'login' });
    const second = await verifyInBrowser(new Browser(), again.url, { front: passport, selfie: await face('genuine/london_002/1.jpg') });
    const secondTokens = await oidc.authorizationCodeGrant(rp, second.callback, {
      pkceCodeVerifier: again.verifier, expectedNonce: again.nonce, expectedState: again.state,
    });
    assert.equal(secondTokens.claims()?.sub, payload.sub);

    // The scores are statuses: no date, number or name of the document in them.
    const scores = JSON.stringify(await (await fetch(new URL('/omni/get/score', server.baseUrl), { headers: { authorization: `Bearer ${result.token}` } })).json());
    for (const pii of [HOLDER.birthDate, HOLDER.expiryDate, HOLDER.documentNumber, 'EVANS', 'Evans', 'OLIVIA']) assert.ok(!scores.includes(pii), pii);
    const ocr = await fetch(new URL('/omni/get/ocr-data', server.baseUrl), { headers: { authorization: `Bearer ${result.token}` } });
    assert.equal(ocr.status, 403, 'a decided session\'s document data is not readable with the capture token');
    assert.ok(!JSON.stringify(await ocr.json()).includes('EVANS'));

    // A database dump holds no usable token: row keys are keyed hashes, payloads encrypted.
    const rows = await server.app.database.db.selectFrom('oidc_payloads').selectAll().execute();
    const dump = JSON.stringify(rows);
    assert.ok(rows.length > 0);
    for (const secret of [tokens.access_token, secondTokens.access_token, result.callback.searchParams.get('code')!, 'Evans', 'olivia']) {
      assert.ok(!dump.includes(secret), `${secret.slice(0, 6)}… is not in the table`);
    }
    for (const row of rows) {
      const stolen = await fetch(new URL('/oauth2/userinfo', server.baseUrl), { headers: { authorization: `Bearer ${row.id}` } });
      assert.equal(stolen.status, 401, `a ${row.model} row key is not a token`);
    }
    assert.equal((await fetch(new URL('/oauth2/userinfo', server.baseUrl), { headers: { authorization: `Bearer ${secondTokens.access_token}` } })).status, 200);
  });

  test('a selfie of another person is refused: the RP receives access_denied', async () => {
    const request = await authorize();
    const result = await verifyInBrowser(new Browser(), request.url, { front: passport, selfie: await face('impostor/canada_003f.jpg') });
    assert.equal(result.processFace?.state, 'failed');
    assert.deepEqual(result.processFace?.reasons, ['face_mismatch']);
    assert.equal(result.callback.searchParams.get('error'), 'access_denied');
    assert.match(result.callback.searchParams.get('error_description') ?? '', /face_mismatch/);
    assert.equal(result.callback.searchParams.get('state'), request.state);
  });

  test('a broken MRZ check digit fails with its reason, visible in the scores', async () => {
    const broken = await generatePassport({ ...HOLDER, portrait: await face('genuine/london_002/1.jpg'), corrupt: 'documentNumberCheckDigit' });
    const request = await authorize();
    const result = await verifyInBrowser(new Browser(), request.url, { front: broken, selfie: await face('genuine/london_002/2.jpg') });
    assert.equal(result.processId.mrzValid, false);
    assert.ok((result.processId.reasons as string[]).includes('mrz_check_digit_failed'));
    assert.equal(result.callback.searchParams.get('error'), 'access_denied');
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${result.token}` } })).json();
    assert.equal(scores.overall.status, 'FAIL');
    assert.equal(scores.state, 'failed');
    const digit = scores.idValidation.idSpecific.find((i: { key: string }) => i.key === 'documentNumberCheckDigit');
    assert.equal(digit.status, 'FAIL');
    assert.ok(scores.reasons.includes('mrz_check_digit_failed'));
  });

  test('no personal data reaches the logs', () => {
    const logs = server.logs();
    assert.ok(logs.includes('/omni/process/face'), 'the server did log the requests');
    for (const pii of ['EVANS', 'Evans', 'OLIVIA', 'Olivia', HOLDER.documentNumber, HOLDER.birthDate, '900417', 'olivia.evans@example.com', 'login_hint']) {
      assert.ok(!logs.includes(pii), `logs contain ${pii}`);
    }
  });
});
