import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, importX509, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ENTRA_EAM_REDIRECT_URI, registerClient } from '../../src/oidc/client-registration.ts';
import { entraIssuer } from '../../src/oidc/entra-hint.ts';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { agree } from '../helpers/login-flow.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

/** The claims request Entra sends (Microsoft's external method provider reference). */
const ENTRA_CLAIMS = {
  id_token: {
    acr: { essential: true, values: ['possessionorinherence'] },
    amr: { essential: true, values: ['face', 'fido', 'fpt', 'hwk', 'iris', 'otp', 'pop', 'retina', 'sc', 'sms', 'swk', 'tel', 'vbm'] },
  },
};

/** Stands in for Microsoft Entra: a signing key published by a JWKS server on loopback, and the hints it signs. */
class EntraStandIn {
  readonly tenantId = randomUUID();
  #server!: Server;
  #key!: CryptoKey;
  readonly kid = `entra-${randomUUID().slice(0, 8)}`;
  jwksUri = '';

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.#key = privateKey;
    const jwk: JWK = { ...await exportJWK(publicKey), kid: this.kid, use: 'sig' };
    this.#server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address() as { port: number };
    this.jwksUri = `http://127.0.0.1:${address.port}/common/discovery/v2.0/keys`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** An id_token_hint as Entra issues it: RS256, already expired, for `clientId`. */
  async hint(clientId: string, user: { sub: string; name: string }, options: { tenantId?: string; key?: CryptoKey; kid?: string; issuedSecondsAgo?: number; aud?: string } = {}) {
    const tenantId = options.tenantId ?? this.tenantId;
    const iat = Math.floor(Date.now() / 1000) - (options.issuedSecondsAgo ?? 2);
    return new SignJWT({ tid: tenantId, oid: randomUUID(), name: user.name, preferred_username: 'user@contoso.example', ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid })
      .setIssuer(entraIssuer(tenantId)).setAudience(options.aud ?? clientId).setSubject(user.sub)
      .setIssuedAt(iat).setNotBefore(iat).setExpirationTime(iat + 1)
      .sign(options.key ?? this.#key);
  }
}

/** The fields of oidc-provider's form_post page (what the browser posts to Entra). */
async function formPost(response: Response): Promise<{ action: string; fields: Record<string, string> }> {
  const html = await response.text();
  const unescape = (value: string) => value.replaceAll('&quot;', '"').replaceAll('&#39;', '\'').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, `expected a form_post page, got ${response.status}: ${html.slice(0, 300)}`);
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, unescape(m[2]!)]));
  return { action: unescape(action), fields };
}

const MARIA = { surname: 'LOPEZ', givenNames: 'MARIA', documentNumber: 'PEA123456' };
const passport = async (portrait: string) => generatePassport({
  issuingCountry: 'ESP', ...MARIA, birthDate: '1985-07-21', expiryDate: '2032-01-30', sex: 'F', portrait: await face(portrait),
});

function entraSuite(dialect: 'sqlite' | 'postgres', options: { negatives: boolean }) {
  describe(`Microsoft Entra external authentication method on ${dialect}: Entra's POST replayed, id_token by form_post`, {
    skip: dialect === 'postgres' && !postgresUrl() ? 'set DATABASE_URL to a PostgreSQL server to run' : false,
  }, () => {
    let server: TestServer;
    const entra = new EntraStandIn();
    let clientId: string;

    before(async () => {
      await entra.start();
      server = await startTestServer({ dialect });
      const registered = await registerClient(server.app.clients, {
        name: 'Contoso EAM', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
        profile: 'entra-eam', entraTenantId: entra.tenantId, entraJwksUri: entra.jwksUri,
      }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
      clientId = registered.clientId;
      assert.deepEqual(registered.record.metadata.redirect_uris, [ENTRA_EAM_REDIRECT_URI]);
    });
    after(async () => {
      await server.close();
      await entra.stop();
      await closeEngines();
    });

    /** Entra's authorization request, POSTed as its reference documents it; followed like a browser. */
    async function entraPost(browser: Browser, hint: string | undefined, claims: object = ENTRA_CLAIMS) {
      const state = randomUUID();
      const nonce = randomUUID();
      const body = new URLSearchParams({
        scope: 'openid', response_type: 'id_token', response_mode: 'form_post', client_id: clientId, redirect_uri: ENTRA_EAM_REDIRECT_URI,
        nonce, state, 'client-request-id': randomUUID(), ...(hint ? { id_token_hint: hint } : {}), claims: JSON.stringify(claims),
      });
      const { response, url } = await browser.follow(`${server.baseUrl}/oauth2/authorize`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(),
      });
      return { response, url, state, nonce };
    }

    /** The capture page of the interaction the request opened. */
    async function capturePage(response: Response, url: URL) {
      const html = await response.text();
      assert.equal(response.status, 200, html.slice(0, 300));
      const token = /data-token="([^"]+)"/.exec(html)?.[1];
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      const uid = /^\/interaction\/([^/]+)$/.exec(url.pathname)?.[1];
      assert.ok(token && csrf && uid, `expected the capture page, got ${url}`);
      return { html, token, csrf, uid, mode: /data-mode="([a-z]+)"/.exec(html)?.[1] };
    }

    async function finish(browser: Browser, page: { uid: string; csrf: string }) {
      const { response } = await browser.follow(`${server.baseUrl}/interaction/${page.uid}/complete`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: page.csrf }).toString(),
      });
      const posted = await formPost(response);
      assert.equal(posted.action, ENTRA_EAM_REDIRECT_URI);
      return posted.fields;
    }

    const call = (token: string, path: string, body?: Buffer) => omniCall(server.baseUrl, token, path, body);

    /** The person on the capture page: agrees, shows Maria López's passport and a selfie; the decided session. */
    async function enrol(token: string) {
      await agree(server.baseUrl, token);
      await call(token, '/omni/add/front-id', await passport('genuine/london_001/1.jpg'));
      await call(token, '/omni/add/face', await face('genuine/london_001/2.jpg'));
      await call(token, '/omni/process/id');
      return (await call(token, '/omni/process/face')).body;
    }

    /** What Entra checks of the answer: signature by a key of verid's JWKS through its x5c certificate, iss, aud, sub, nonce, acr, amr. */
    async function entraAccepts(idToken: string, expected: { sub: string; nonce: string }) {
      const jwks = await (await fetch(`${server.baseUrl}/oauth2/jwks`)).json() as { keys: Array<JWK & { x5c?: string[] }> };
      const header = JSON.parse(Buffer.from(idToken.split('.')[0]!, 'base64url').toString()) as { alg: string; kid: string };
      assert.equal(header.alg, 'RS256');
      const key = jwks.keys.find((k) => k.kid === header.kid);
      assert.ok(key?.x5c?.length, 'the signing key carries an x5c certificate');
      const certificate = new X509Certificate(Buffer.from(key.x5c[0]!, 'base64'));
      assert.equal(certificate.publicKey.export({ format: 'jwk' }).n, key.n, 'the certificate is of the published key');
      assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
      const pem = `-----BEGIN CERTIFICATE-----\n${key.x5c[0]}\n-----END CERTIFICATE-----`;
      const { payload } = await jwtVerify(idToken, await importX509(pem, 'RS256'), { issuer: server.baseUrl, audience: clientId });
      assert.equal(payload.sub, expected.sub);
      assert.equal(payload.nonce, expected.nonce);
      assert.equal(payload.acr, 'possessionorinherence');
      assert.deepEqual(payload.amr, ['face']);
      return payload;
    }

    test('first sign-in: document + selfie, name matched to the hint; then a selfie alone; the ID token carries Entra\'s sub', async () => {
      const user = { sub: `entra-sub-${randomUUID()}`, name: 'María López' };
      const first = new Browser();
      const request = await entraPost(first, await entra.hint(clientId, user));
      const page = await capturePage(request.response, request.url);
      assert.equal(page.mode, 'enroll');
      const decided = await enrol(page.token);
      assert.equal(decided.state, 'succeeded', JSON.stringify(decided));
      const answer = await finish(first, page);
      assert.deepEqual(Object.keys(answer).sort(), ['id_token', 'state']);
      assert.equal(answer.state, request.state);
      await entraAccepts(answer.id_token!, { sub: user.sub, nonce: request.nonce });

      // Next time (another browser): the hint's user is bound, a selfie matched to their face is enough.
      const again = new Browser();
      const second = await entraPost(again, await entra.hint(clientId, user));
      const reverify = await capturePage(second.response, second.url);
      assert.equal(reverify.mode, 'reverify');
      assert.doesNotMatch(reverify.html, /id="front"/, 'no document asked');
      await agree(server.baseUrl, reverify.token);
      await call(reverify.token, '/omni/add/face', await face('genuine/london_001/1.jpg'));
      const matched = await call(reverify.token, '/omni/process/face');
      assert.equal(matched.body.state, 'succeeded', JSON.stringify(matched.body));
      const answerAgain = await finish(again, reverify);
      assert.equal(answerAgain.state, second.state);
      await entraAccepts(answerAgain.id_token!, { sub: user.sub, nonce: second.nonce });

      // The same browser signs in again: verified again, never a silent answer from the earlier session.
      const third = await entraPost(again, await entra.hint(clientId, user));
      assert.equal((await capturePage(third.response, third.url)).mode, 'reverify');
    });

    if (!options.negatives) return;

    test('a bound user cannot be re-bound through "use my ID document instead" with another document in their name: access_denied, the binding stays', async () => {
      const user = { sub: `entra-sub-${randomUUID()}`, name: 'María López' };
      const first = new Browser();
      const request = await entraPost(first, await entra.hint(clientId, user));
      const page = await capturePage(request.response, request.url);
      assert.equal((await enrol(page.token)).state, 'succeeded');
      await finish(first, page);

      // The attacker passed the victim's first factor at Entra and holds a passport in the victim's name with their own face.
      const attacker = new Browser();
      const hijack = await entraPost(attacker, await entra.hint(clientId, user));
      const offered = await capturePage(hijack.response, hijack.url);
      assert.equal(offered.mode, 'reverify');
      const { response, url } = await attacker.follow(`${server.baseUrl}/interaction/${offered.uid}?method=document`);
      const documentPage = await capturePage(response, url);
      assert.equal(documentPage.mode, 'enroll');
      await agree(server.baseUrl, documentPage.token);
      const forged = await generatePassport({
        issuingCountry: 'ESP', ...MARIA, documentNumber: 'PEZ998877', birthDate: '1985-07-21', expiryDate: '2032-01-30', sex: 'F', portrait: await face('genuine/london_003/1.jpg'),
      });
      await call(documentPage.token, '/omni/add/front-id', forged);
      await call(documentPage.token, '/omni/add/face', await face('genuine/london_003/2.jpg'));
      await call(documentPage.token, '/omni/process/id');
      await call(documentPage.token, '/omni/process/face');
      const answer = await finish(attacker, documentPage);
      assert.equal(answer.id_token, undefined, 'no ID token for the victim');
      assert.equal(answer.error, 'access_denied');

      // The victim is still bound to their own face: the next request asks a selfie, and the attacker's does not match.
      const next = new Browser();
      const again = await entraPost(next, await entra.hint(clientId, user));
      const reverify = await capturePage(again.response, again.url);
      assert.equal(reverify.mode, 'reverify');
      await agree(server.baseUrl, reverify.token);
      await call(reverify.token, '/omni/add/face', await face('genuine/london_003/1.jpg'));
      assert.notEqual((await call(reverify.token, '/omni/process/face')).body.state, 'succeeded', 'the attacker\'s face is not the bound face');
    });

    /** The request is refused at once: an OIDC error posted back to Entra, with its state. */
    async function refused(hint: string | undefined, claims?: object) {
      const request = await entraPost(new Browser(), hint, claims);
      const { action, fields } = await formPost(request.response);
      assert.equal(action, ENTRA_EAM_REDIRECT_URI);
      assert.equal(fields.state, request.state);
      assert.equal(fields.id_token, undefined);
      return fields;
    }
    const someone = () => ({ sub: `entra-sub-${randomUUID()}`, name: 'Maria Lopez' });

    test('a hint signed by another key (unknown kid, or Entra\'s kid) is refused: invalid_request', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      for (const kid of ['attacker-key', entra.kid]) {
        const fields = await refused(await entra.hint(clientId, someone(), { key: privateKey, kid }));
        assert.equal(fields.error, 'invalid_request');
        assert.match(fields.error_description ?? '', /not signed by a key of Microsoft Entra/);
      }
    });

    test('a hint of another tenant, or for another application, is refused: invalid_request', async () => {
      const otherTenant = await refused(await entra.hint(clientId, someone(), { tenantId: randomUUID() }));
      assert.equal(otherTenant.error, 'invalid_request');
      assert.match(otherTenant.error_description ?? '', /another Microsoft Entra tenant/);
      const otherApp = await refused(await entra.hint(clientId, someone(), { aud: randomUUID() }));
      assert.equal(otherApp.error, 'invalid_request');
      assert.match(otherApp.error_description ?? '', /another application/);
    });

    test('a hint issued long ago is refused: login_required (its exp, always past, is not what counts)', async () => {
      const fields = await refused(await entra.hint(clientId, someone(), { issuedSecondsAgo: 3600 }));
      assert.equal(fields.error, 'login_required');
      assert.match(fields.error_description ?? '', /issued more than 600 seconds ago/);
    });

    test('no hint: invalid_request', async () => {
      const fields = await refused(undefined);
      assert.equal(fields.error, 'invalid_request');
      assert.match(fields.error_description ?? '', /id_token_hint is required/);
    });

    test('an amr list without face: unmet_authentication_requirements at once, not a loop', async () => {
      const claims = { id_token: { ...ENTRA_CLAIMS.id_token, amr: { essential: true, values: ['otp', 'sms'] } } };
      const request = await entraPost(new Browser(), await entra.hint(clientId, someone()), claims);
      const { fields } = await formPost(request.response);
      assert.equal(fields.error, 'unmet_authentication_requirements');
      assert.match(fields.error_description ?? '', /amr face/);
      assert.equal(fields.state, request.state);
    });

    test('a document whose name is not the hint\'s: the verification fails, access_denied, and nobody is bound', async () => {
      const user = { sub: `entra-sub-${randomUUID()}`, name: 'John Smith' };
      const browser = new Browser();
      const request = await entraPost(browser, await entra.hint(clientId, user));
      const page = await capturePage(request.response, request.url);
      const decided = await enrol(page.token);
      assert.equal(decided.state, 'failed', JSON.stringify(decided));
      assert.ok((decided.reasons as string[]).includes('name_mismatch'), JSON.stringify(decided));
      const answer = await finish(browser, page);
      assert.equal(answer.error, 'access_denied');
      assert.match(answer.error_description ?? '', /name_mismatch/);
      const again = await entraPost(new Browser(), await entra.hint(clientId, user));
      assert.equal((await capturePage(again.response, again.url)).mode, 'enroll', 'still unbound: the document is asked for again');
    });
  });
}

entraSuite('sqlite', { negatives: true });
entraSuite('postgres', { negatives: false });
