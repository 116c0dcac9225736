import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { Browser } from '../helpers/browser.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const demoFile = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));
const CALLBACK = 'https://acme.okta.com/idp/identity-verification/callback';

/** Okta Identity Engine's custom IDV vendor profile, replayed request by request as its developer guide documents it. */
describe('Okta "custom identity verification vendor": PAR with the secret in the body, verified_claims array, IDV-DELEGATED', () => {
  let server: TestServer;
  let client: { clientId: string; clientSecret: string };

  before(async () => {
    server = await startTestServer();
    const registered = await registerClient(server.app.clients, {
      name: 'Okta IDV', redirectUris: [CALLBACK], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_post',
    }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
    client = { clientId: registered.clientId, clientSecret: registered.clientSecret! };
  });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  async function oktaVerification(trustFramework: string, names: Record<string, unknown>) {
    const verifier = oidc.randomPKCECodeVerifier();
    const claims = {
      id_token: {
        verified_claims: [{
          verification: { trust_framework: { value: trustFramework, essential: true }, assurance_level: { value: 'VERIFIED', essential: true } },
          claims: names,
        }],
      },
    };
    const par = await fetch(`${server.baseUrl}/oauth2/par`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        response_type: 'code', client_id: client.clientId, client_secret: client.clientSecret,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
        scope: 'openid profile identity_assurance idv_flow_standard', nonce: 'okta-nonce', claims: JSON.stringify(claims),
        state: 'okta-state', login_hint: '00u1okta', redirect_uri: CALLBACK,
      }),
    });
    const pushed = await par.json() as { request_uri: string; expires_in: number };
    assert.equal(par.status, 201, JSON.stringify(pushed));
    assert.match(pushed.request_uri, /^urn:ietf:params:oauth:request_uri:/);
    assert.ok(pushed.expires_in > 0);

    const authorize = new URL('/oauth2/authorize', server.baseUrl);
    authorize.searchParams.set('client_id', client.clientId);
    authorize.searchParams.set('request_uri', pushed.request_uri);
    const { callback } = await verifyInBrowser(new Browser(), authorize, { front: await demoFile('passport-hughes.jpg'), selfie: await demoFile('selfie-hughes.jpg') });
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    assert.equal(callback.searchParams.get('state'), 'okta-state');

    const token = await fetch(`${server.baseUrl}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code: callback.searchParams.get('code')!,
        code_verifier: verifier, redirect_uri: CALLBACK,
      }),
    });
    const tokens = await token.json() as { id_token: string; expires_in: number };
    assert.equal(token.status, 200, JSON.stringify(tokens));
    assert.ok(tokens.expires_in > 0, 'the token response carries expires_in');
    const idToken = decodeJwt(tokens.id_token);
    assert.equal(idToken.nonce, 'okta-nonce');
    if (!Array.isArray(idToken.verified_claims)) throw new Error(`no verified_claims array: ${JSON.stringify(idToken)}`);
    return (idToken.verified_claims as Array<{ verification: Record<string, unknown>; claims: Record<string, unknown> }>);
  }

  test('matching names: assurance_level VERIFIED with the verified names', async () => {
    const [answer] = await oktaVerification('IDV-DELEGATED', { given_name: { value: 'Amelia', fuzzy: true }, family_name: { value: 'Hughes', fuzzy: true } });
    assert.equal(answer!.verification.trust_framework, 'IDV-DELEGATED');
    assert.equal(answer!.verification.assurance_level, 'VERIFIED');
    assert.deepEqual(answer!.claims, { given_name: 'Amelia', family_name: 'Hughes' });
  });

  test('a name the document does not carry: FAILED and that name null (never the document\'s name); the other spelling of the framework is echoed', async () => {
    const [answer] = await oktaVerification('IDV_DELEGATED', { given_name: { fuzzy: 'Amelia' }, family_name: { value: 'Smith', fuzzy: true } });
    assert.equal(answer!.verification.trust_framework, 'IDV_DELEGATED');
    assert.equal(answer!.verification.assurance_level, 'FAILED');
    assert.deepEqual(answer!.claims, { given_name: 'Amelia', family_name: null });
  });

  test('discovery lists the delegated trust framework', async () => {
    const metadata = await (await fetch(`${server.baseUrl}/.well-known/openid-configuration`)).json() as { trust_frameworks_supported: string[]; pushed_authorization_request_endpoint: string };
    assert.ok(metadata.trust_frameworks_supported.includes('IDV-DELEGATED'));
    assert.equal(metadata.pushed_authorization_request_endpoint, `${server.baseUrl}/oauth2/par`);
  });
});
