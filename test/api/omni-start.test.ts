import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerClient, rotateClientSecret } from '../../src/oidc/client-registration.ts';
import { face } from '../helpers/fixtures.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

interface ApiClient { clientId: string; secret: string; apiKey: string }

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`Omni Start for API clients (${dialect})`, { skip: dialect === 'postgres' && !process.env.DATABASE_URL }, () => {
    const servers = testServers();
    let server: TestServer;
    let ats: ApiClient;
    let other: ApiClient;

    async function apiClient(name: string, options: { environment?: 'demo' | 'production'; scopes?: string[] } = {}): Promise<ApiClient> {
      const { clientId, clientSecret } = await registerClient(server.app.clients, {
        kind: 'api', name, redirectUris: [], environment: options.environment ?? 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
        ...(options.scopes ? { scopes: options.scopes } : {}),
      }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
      return { clientId, secret: clientSecret!, apiKey: `${clientId}.${clientSecret}` };
    }

    async function accessToken(client: ApiClient, scope?: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${server.baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
      });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the endpoint answered
    async function api(path: string, init: { method?: string; body?: unknown; apiKey?: string; token?: string } = {}): Promise<{ status: number; body: Record<string, any> }> {
      const headers: Record<string, string> = {};
      if (init.apiKey) headers['x-api-key'] = init.apiKey;
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers,
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    }

    before(async () => {
      server = await servers.start({ dialect });
      ats = await apiClient('ATS');
      other = await apiClient('Someone else');
    });
    after(() => servers.closeAll());

    test('client_credentials gives a short-lived token with the scopes asked for; an OIDC client and a wrong secret get none', async () => {
      const issued = await accessToken(ats, 'omni:start sessions:read');
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.equal(issued.body.token_type, 'Bearer');
      assert.equal(issued.body.scope, 'omni:start sessions:read');
      assert.ok(Number(issued.body.expires_in) <= server.config.accessTokenTtlSeconds);
      const wrong = await accessToken({ ...ats, secret: 'not-the-secret' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      const readonly = await apiClient('Reader', { scopes: ['sessions:read'] });
      const beyond = await accessToken(readonly, 'omni:start');
      assert.deepEqual([beyond.status, beyond.body.error], [400, 'invalid_scope']);
      const oidc = await registerClient(server.app.clients, {
        name: 'RP', redirectUris: ['https://rp.example.com/cb'], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
      }, async () => undefined);
      const rp = await accessToken({ clientId: oidc.clientId, secret: oidc.clientSecret!, apiKey: '' });
      assert.equal(rp.body.error, 'unauthorized_client', `an OIDC client cannot use client_credentials: ${JSON.stringify(rp.body)}`);
    });

    test('POST /omni/start with a token or an API key; the link carries the token in its fragment', async () => {
      const { body: tokenBody } = await accessToken(ats);
      const started = await api('/omni/start', {
        token: String(tokenBody.access_token),
        body: { externalId: 'app-1001', externalCustomerId: 'cand-77', candidate: { name: 'Arjun Patel', email: 'arjun@example.com' }, notification: 'NONE' },
      });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.env, 'demo');
      assert.match(started.body.interviewCode, /^[A-Z0-9]{8}$/);
      assert.equal(started.body.url, `${server.baseUrl}/verify#token=${started.body.token}`);
      assert.ok(Date.parse(started.body.expiresAt) > Date.now() + 86_400_000, 'an ATS link lives for days, not a login\'s half hour');
      const viaKey = await api('/omni/start', { apiKey: ats.apiKey, body: {} });
      assert.equal(viaKey.status, 200, JSON.stringify(viaKey.body));

      const view = await api(`/v1/sessions/${started.body.interviewId}`, { apiKey: ats.apiKey });
      assert.equal(view.status, 200, JSON.stringify(view.body));
      assert.equal(view.body.externalId, 'app-1001');
      assert.equal(view.body.externalCustomerId, 'cand-77');
      assert.equal(view.body.state, 'created');
      assert.equal(view.body.onboardingStatus, 'UNKNOWN');
      assert.equal(view.body.environment, 'demo');
      assert.ok(!JSON.stringify(view.body).includes('Arjun') && !JSON.stringify(view.body).includes('arjun@'), 'no personal data in the view');
    });

    test('bad input: 4xx with a stable code and the field, and nothing is created', async () => {
      const before = (await api('/v1/sessions?limit=100', { apiKey: ats.apiKey })).body.data.length;
      const cases: Array<[unknown, number, string, string | undefined]> = [
        [{ unknownField: 1 }, 400, 'validation_failed', 'body/unknownField'],
        [{ externalId: 42 }, 400, 'validation_failed', 'body/externalId'],
        [{ externalId: 'has space' }, 400, 'validation_failed', 'body/externalId'],
        [{ candidate: { email: 'not-an-email' } }, 400, 'validation_failed', 'body/candidate/email'],
        [{ candidate: { phone: '555-1234' } }, 400, 'validation_failed', 'body/candidate/phone'],
        [{ notification: 'EMAIL' }, 400, 'validation_failed', 'body/candidate/email'],
        [{ notification: 'SMS', candidate: { email: 'a@example.com' } }, 400, 'validation_failed', 'body/candidate/phone'],
        [{ notification: 'PIGEON' }, 400, 'validation_failed', 'body/notification'],
        [{ notification: 'EMAIL', candidate: { email: 'a@example.com' } }, 400, 'validation_failed', 'body/notification'],
        [{ configurationId: 'nope' }, 400, 'validation_failed', 'body/configurationId'],
        [{ redirectionUrl: 'javascript:alert(1)' }, 400, 'validation_failed', 'body/redirectionUrl'],
        [{ redirectionUrl: 'https://ats.example.com/done#frag' }, 400, 'validation_failed', 'body/redirectionUrl'],
        ['{"externalId":', 400, 'invalid_request', undefined],
      ];
      for (const [body, status, code, field] of cases) {
        const answer = await api('/omni/start', { apiKey: ats.apiKey, body });
        assert.equal(answer.status, status, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.error.code, code, JSON.stringify(body));
        if (field) assert.equal(answer.body.error.details?.field, field, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
      }
      assert.equal((await api('/v1/sessions?limit=100', { apiKey: ats.apiKey })).body.data.length, before, 'no session was created');
    });

    test('credentials: missing, wrong, expired, foreign, of an OIDC client, or without the scope are refused', async () => {
      assert.equal((await api('/omni/start', { body: {} })).body.error.code, 'unauthorized');
      assert.equal((await api('/omni/start', { body: {}, apiKey: `${ats.clientId}.wrong` })).status, 401);
      assert.equal((await api('/omni/start', { body: {}, apiKey: 'garbage' })).status, 401);
      assert.equal((await api('/omni/start', { body: {}, token: 'not-a-token' })).status, 401);
      const reader = await apiClient('Reader 2', { scopes: ['sessions:read'] });
      const refused = await api('/omni/start', { body: {}, apiKey: reader.apiKey });
      assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.details.scope], [403, 'insufficient_scope', 'omni:start']);
      const narrow = await accessToken(ats, 'sessions:read');
      assert.equal((await api('/omni/start', { body: {}, token: String(narrow.body.access_token) })).body.error.code, 'insufficient_scope');
      // A capture token is not an API credential.
      const started = await api('/omni/start', { apiKey: ats.apiKey, body: {} });
      assert.equal((await api('/omni/start', { body: {}, token: started.body.token })).status, 401);
      // Another client's session is not found (the same answer as an unknown id).
      for (const path of [`/v1/sessions/${started.body.interviewId}`, `/omni/get/score?id=${started.body.interviewId}`,
        `/omni/get/onboarding/status?id=${started.body.interviewId}`, `/omni/get/images?id=${started.body.interviewId}`]) {
        const foreign = await api(path, { apiKey: other.apiKey });
        assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'not_found'], path);
      }
      assert.equal((await api(`/omni/interview?id=${started.body.interviewId}`, { method: 'DELETE', apiKey: other.apiKey })).status, 404);
      assert.equal((await api('/v1/sessions/unknown-id', { apiKey: ats.apiKey })).status, 404);
    });

    test('two rotations in a row: the secret from before both still works during its grace period', async () => {
      const client = await apiClient('Rotating');
      const first = await rotateClientSecret(server.app.clients, client.clientId, 3600);
      const second = await rotateClientSecret(server.app.clients, client.clientId, 3600);
      for (const secret of [client.secret, first, second]) {
        assert.equal((await accessToken({ ...client, secret })).status, 200, 'every secret inside its grace period works');
        assert.equal((await api('/omni/start', { body: {}, apiKey: `${client.clientId}.${secret}` })).status, 200);
      }
    });

    test('the whole ATS flow: start, the person verifies with the token, the ATS reads the result, closes, deletes', async () => {
      const started = await api('/omni/start', { apiKey: ats.apiKey, body: { externalId: 'app-2002', candidate: { name: 'Arjun Patel' } } });
      const { token, interviewId } = started.body as { token: string; interviewId: string };
      const call = (path: string, body?: unknown) => omniCall(server.baseUrl, token, path, body);
      assert.equal((await call('/omni/consent', { accepted: true, version: 'ats-2026-12' })).status, 200);
      const front = await generatePassport({
        issuingCountry: 'GBR', surname: 'PATEL', givenNames: 'ARJUN', documentNumber: 'K7301842', birthDate: '1988-02-29', expiryDate: '2030-05-31', sex: 'M',
        portrait: await face('genuine/london_001/1.jpg'),
      });
      assert.equal((await call('/omni/add/front-id', front)).status, 200);
      assert.equal((await call('/omni/process/id')).status, 200);
      const status = await api(`/omni/get/onboarding/status?id=${interviewId}`, { apiKey: ats.apiKey });
      assert.equal(status.body.onboardingStatus, 'ID_VALIDATION_FINISHED');
      assert.equal((await call('/omni/add/face', await face('genuine/london_001/2.jpg'))).status, 200);
      const decided = await call('/omni/process/face');
      assert.equal(decided.body.state, 'succeeded', JSON.stringify(decided.body));

      const view = await api(`/v1/sessions/${interviewId}`, { apiKey: ats.apiKey });
      assert.deepEqual([view.body.state, view.body.onboardingStatus, view.body.overall.status], ['succeeded', 'ONBOARDING_FINISHED', 'OK']);
      const scores = await api(`/omni/get/score?id=${interviewId}`, { apiKey: ats.apiKey });
      assert.equal(scores.status, 200, JSON.stringify(scores.body));
      assert.equal(scores.body.faceRecognition.nameMatch, 'OK');
      const ocr = await api(`/omni/get/ocr-data?id=${interviewId}`, { apiKey: ats.apiKey });
      assert.deepEqual([ocr.status, ocr.body.surname], [200, 'PATEL'], 'the API client reads the document data the capture token no longer may');
      assert.equal((await api('/omni/get/ocr-data', { token })).status, 403, 'the capture token reads no document data after the decision');
      const images = await api(`/omni/get/images?id=${interviewId}`, { apiKey: ats.apiKey });
      assert.deepEqual(Object.keys(images.body.images).sort(), ['face', 'front']);

      const listed = await api('/v1/sessions?state=succeeded&externalId=app-2002&environment=demo', { apiKey: ats.apiKey });
      assert.deepEqual(listed.body.data.map((s: { interviewId: string }) => s.interviewId), [interviewId]);
      assert.deepEqual((await api('/v1/sessions?environment=production', { apiKey: ats.apiKey })).body.data, [], 'a demo client has no production sessions');

      const closed = await api(`/omni/session/status/set?id=${interviewId}&action=Closed`, { method: 'POST', apiKey: ats.apiKey });
      assert.deepEqual([closed.status, closed.body.state], [200, 'closed'], JSON.stringify(closed.body));
      const again = await api(`/omni/session/status/set?id=${interviewId}&action=Closed`, { method: 'POST', apiKey: ats.apiKey });
      assert.deepEqual([again.status, again.body.error.code], [409, 'invalid_state']);

      const deleted = await api(`/omni/interview?id=${interviewId}`, { method: 'DELETE', apiKey: ats.apiKey });
      assert.deepEqual([deleted.status, deleted.body.success], [200, true], JSON.stringify(deleted.body));
      assert.deepEqual((await api(`/omni/get/images?id=${interviewId}`, { apiKey: ats.apiKey })).body.images, {});
      assert.equal((await api(`/omni/get/ocr-data?id=${interviewId}`, { apiKey: ats.apiKey })).status, 404);
      assert.equal((await api(`/v1/sessions/${interviewId}`, { apiKey: ats.apiKey })).body.state, 'closed', 'the non-PII record stays');
    });

    test('the session list pages with a cursor and validates its filters', async () => {
      for (let i = 0; i < 5; i++) await api('/omni/start', { apiKey: ats.apiKey, body: { externalId: `page-${i}` } });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Record<string, any> } = await api(`/v1/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { apiKey: ats.apiKey });
        seen.push(...page.body.data.map((s: { interviewId: string }) => s.interviewId));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = (await api('/v1/sessions?limit=100', { apiKey: ats.apiKey })).body.data.map((s: { interviewId: string }) => s.interviewId);
      assert.deepEqual(seen, all);
      for (const [query, field] of [['state=bogus', 'querystring/state'], ['limit=0', 'querystring/limit'], ['limit=abc', 'querystring/limit'],
        ['cursor=xyz', 'querystring/cursor'], ['createdFrom=yesterday', 'querystring/createdFrom'], ['colour=red', 'querystring/colour']]) {
        const answer = await api(`/v1/sessions?${query}`, { apiKey: ats.apiKey });
        assert.deepEqual([answer.status, answer.body.error.code, answer.body.error.details?.field], [400, 'validation_failed', field], query);
      }
    });
  });
}

describe('an expired client_credentials access token', () => {
  const servers = testServers();
  after(() => servers.closeAll());

  test('is refused (401) once its lifetime is over, like any other invalid token', async () => {
    const server = await servers.start({ overrides: { accessTokenTtlSeconds: 1 } });
    const { clientId, clientSecret } = await registerClient(server.app.clients, {
      kind: 'api', name: 'Short-lived', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_post',
    }, async () => undefined);
    const issued = await fetch(`${server.baseUrl}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret! }),
    });
    const { access_token: token, expires_in: expiresIn } = await issued.json() as { access_token: string; expires_in: number };
    assert.equal(expiresIn, 1);
    const start = () => fetch(`${server.baseUrl}/omni/start`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal((await start()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await start();
    assert.equal(expired.status, 401);
    assert.equal((await expired.json() as { error: { code: string } }).error.code, 'unauthorized');
  });
});
