import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';
import { verid } from '../helpers/cli.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';

const demoFile = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`B2B: verify an employee on request (${dialect})`, { skip: dialect === 'postgres' && !process.env.DATABASE_URL }, () => {
    const servers = testServers();
    let server: TestServer;
    let helpdesk: { clientId: string; token: string };
    let otherKey: string;
    let receiver: Receiver;
    let webhookSecret: string;

    async function accessToken(clientId: string, secret: string): Promise<string> {
      const response = await fetch(`${server.baseUrl}/oauth2/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      });
      return (await response.json() as { access_token: string }).access_token;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the endpoint answered
    async function api(path: string, init: { method?: string; body?: unknown; token?: string; apiKey?: string } = {}): Promise<{ status: number; body: Record<string, any> }> {
      const headers: Record<string, string> = init.apiKey ? { 'x-api-key': init.apiKey } : { authorization: `Bearer ${init.token ?? helpdesk.token}` };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    }

    /** The employee, on the link or after typing the code: agrees, and sends the document (enrolment) and the selfie. */
    async function verifyAsEmployee(token: string, selfie: string, document?: string) {
      const call = (path: string, body?: unknown) => omniCall(server.baseUrl, token, path, body);
      assert.equal((await call('/omni/consent', { accepted: true, version: 'helpdesk-ui-1' })).status, 200);
      if (document) {
        assert.equal((await call('/omni/add/front-id', await demoFile(document))).status, 200);
        await call('/omni/process/id');
      }
      assert.equal((await call('/omni/add/face', await demoFile(selfie))).status, 200);
      return (await call('/omni/process/face')).body as { state: string; reasons: string[] };
    }

    before(async () => {
      server = await servers.start({ dialect, overrides: { webhookAllowCidrs: '127.0.0.0/8', jobsPollSeconds: 1 } });
      receiver = await startReceiver(() => 204);
      const register = (name: string, environment: 'demo' | 'production', scopes?: string[]) => registerClient(server.app.clients, {
        kind: 'api', name, redirectUris: [], environment, tokenEndpointAuthMethod: 'client_secret_basic', ...(scopes ? { scopes } : {}),
      }, async () => undefined);
      const desk = await register('IT help desk', 'demo');
      helpdesk = { clientId: desk.clientId, token: await accessToken(desk.clientId, desk.clientSecret!) };
      const other = await register('Another tenant', 'production');
      otherKey = `${other.clientId}.${other.clientSecret}`;
      process.env.VERID_WEBHOOK_ALLOW_CIDRS = '127.0.0.0/8';
      try {
        webhookSecret = (await verid(server.config, ['webhooks', 'add', '--client', desk.clientId, '--url', receiver.url]) as { secret: string }).secret;
      } finally {
        delete process.env.VERID_WEBHOOK_ALLOW_CIDRS;
      }
    });
    after(async () => {
      await receiver.close();
      await servers.closeAll();
    });

    test('first request enrols (document name matched to the directory), later ones re-verify with a selfie; the receipt verifies against the JWKS', async () => {
      const created = await api('/v1/employees', { body: { employeeId: 'E1001', email: 'amelia.hughes@example.com', displayName: 'Amelia Hughes' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.enrolled, false);
      const updated = await api('/v1/employees', { body: { employeeId: 'E1001', email: 'amelia.hughes@example.com', displayName: 'Amelia Hughes', phone: '+447700900123' } });
      assert.deepEqual([updated.status, updated.body.id, updated.body.phone], [200, created.body.id, '+447700900123'], 'an upsert by employeeId');

      const first = await api('/v1/verifications', { body: { employee: { employeeId: 'E1001' }, reason: 'helpdesk', reference: 'INC-4711' } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.deepEqual([first.body.mode, first.body.status, first.body.outcome, first.body.receipt], ['enroll', 'created', 'pending', null]);
      assert.match(first.body.interviewCode, /^[A-Z0-9]{8}$/);
      assert.equal((await verifyAsEmployee(first.body.token, 'selfie-hughes.jpg', 'passport-hughes.jpg')).state, 'succeeded');

      // The help-desk tool hears it by webhook (signed per Standard Webhooks), then reads the details.
      const deadline = Date.now() + 30_000;
      const heard = () => receiver.accepted().find((r) => r.body.includes(first.body.interviewId));
      while (!heard() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      const event = new Webhook(webhookSecret).verify(heard()!.body, heard()!.headers) as { type: string; data: { externalId: string; state: string } };
      assert.deepEqual([event.type, event.data.state, event.data.externalId], ['session.succeeded', 'succeeded', 'INC-4711']);
      const polled = await api(`/v1/verifications/${first.body.interviewId}`);
      assert.deepEqual([polled.body.outcome, polled.body.employee.displayName, polled.body.reference, polled.body.interviewCode], ['verified', 'Amelia Hughes', 'INC-4711', null]);
      const jwks = createRemoteJWKSet(new URL(`${server.baseUrl}/oauth2/jwks`));
      const { payload } = await jwtVerify(polled.body.receipt, jwks, { issuer: server.baseUrl, audience: helpdesk.clientId });
      assert.equal(payload.sub, polled.body.identityId);
      assert.deepEqual((payload.verification as Record<string, unknown>).outcome, 'verified');
      assert.deepEqual(payload.employee, { id: created.body.id, employee_id: 'E1001' });
      // This client may read document data (all API scopes by default): the receipt carries the verified claims.
      assert.equal((payload.verified_claims as { claims: { family_name: string } }).claims.family_name, 'Hughes');
      assert.equal(polled.body.scores.faceRecognition.overall.status, 'OK', 'the scores of every check');

      const employee = await api(`/v1/employees/${created.body.id}`);
      assert.deepEqual([employee.body.enrolled, employee.body.identityId], [true, polled.body.identityId]);

      const again = await api('/v1/verifications', { body: { employee: { email: 'Amelia.Hughes@example.com' }, reason: 'privileged_access' } });
      assert.equal(again.body.mode, 'reverify', 'auto: a selfie against the bound face');
      assert.equal((await verifyAsEmployee(again.body.token, 'selfie-hughes.jpg')).state, 'succeeded');
      const second = await api(`/v1/verifications/${again.body.interviewId}`);
      assert.deepEqual([second.body.outcome, second.body.identityId], ['verified', polled.body.identityId]);

      const impostor = await api('/v1/verifications', { body: { employee: { id: created.body.id }, reason: 'helpdesk' } });
      const failed = await verifyAsEmployee(impostor.body.token, 'selfie-someone-else.jpg');
      assert.deepEqual([failed.state, failed.reasons], ['failed', ['face_mismatch']]);
      assert.equal((await api(`/v1/verifications/${impostor.body.interviewId}`)).body.outcome, 'not_verified');

      const listed = await api(`/v1/verifications?employee=${created.body.id}&reason=helpdesk`);
      assert.deepEqual(listed.body.data.map((v: { interviewId: string }) => v.interviewId), [impostor.body.interviewId, first.body.interviewId]);

      // Erasure: the employee and the biometric data bound to them.
      assert.equal((await api(`/v1/employees/${created.body.id}`, { method: 'DELETE' })).status, 200);
      assert.equal((await api(`/v1/employees/${created.body.id}`)).status, 404);
      assert.equal(await server.app.core.identities.findFaceTemplate(polled.body.identityId), undefined, 'the face template is erased');
    });

    test('a directory name the document does not match fails enrolment; the employee stays unenrolled', async () => {
      const employee = await api('/v1/employees', { body: { employeeId: 'E2002', displayName: 'John Smith' } });
      const request = await api('/v1/verifications', { body: { employee: { employeeId: 'E2002' }, reason: 'itsm' } });
      const outcome = await verifyAsEmployee(request.body.token, 'selfie-hughes.jpg', 'passport-hughes.jpg');
      assert.deepEqual([outcome.state, outcome.reasons.includes('name_mismatch')], ['failed', true]);
      assert.equal((await api(`/v1/employees/${employee.body.id}`)).body.enrolled, false);
    });

    test('bad requests: unknown or foreign employee, wrong mode, missing scope, unknown fields; cancel', async () => {
      const unknown = await api('/v1/verifications', { body: { employee: { employeeId: 'nobody' }, reason: 'helpdesk' } });
      assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'not_found']);
      const mine = await api('/v1/employees', { body: { email: 'new.starter@example.com', displayName: 'New Starter' } });
      const foreign = await api('/v1/verifications', { apiKey: otherKey, body: { employee: { id: mine.body.id }, reason: 'helpdesk' } });
      assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'not_found'], 'another client (and environment) cannot name this employee');
      assert.equal((await api(`/v1/employees/${mine.body.id}`, { apiKey: otherKey })).status, 404);
      const reverify = await api('/v1/verifications', { body: { employee: { id: mine.body.id }, reason: 'helpdesk', mode: 'reverify' } });
      assert.deepEqual([reverify.status, reverify.body.error.code, reverify.body.error.details.field], [409, 'invalid_state', 'body/mode'], 'no selfie-only check without a bound face');
      for (const body of [{ employee: { id: mine.body.id }, reason: 'curiosity' }, { employee: { id: mine.body.id } }, { employee: {}, reason: 'helpdesk' },
        { employee: { id: mine.body.id }, reason: 'helpdesk', extra: 1 }, { employee: { id: mine.body.id }, reason: 'helpdesk', expiresIn: 5 }]) {
        const answer = await api('/v1/verifications', { body });
        assert.deepEqual([answer.status, answer.body.error.code], [400, 'validation_failed'], JSON.stringify(body));
      }
      assert.equal((await api('/v1/employees', { body: { displayName: 'No Keys' } })).body.error.code, 'validation_failed');
      const readerClient = await registerClient(server.app.clients, {
        kind: 'api', name: 'Reader', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic', scopes: ['sessions:read'],
      }, async () => undefined);
      const noScope = await api('/v1/verifications', { apiKey: `${readerClient.clientId}.${readerClient.clientSecret}`, body: { employee: { id: mine.body.id }, reason: 'helpdesk' } });
      assert.deepEqual([noScope.status, noScope.body.error.code], [403, 'insufficient_scope']);

      const directoryOnly = await registerClient(server.app.clients, {
        kind: 'api', name: 'Directory only', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic', scopes: ['verifications'],
      }, async () => undefined);
      const noEmployees = await api('/v1/employees', { apiKey: `${directoryOnly.clientId}.${directoryOnly.clientSecret}`, body: { employeeId: 'X1', displayName: 'X Y' } });
      assert.deepEqual([noEmployees.status, noEmployees.body.error.details.scope], [403, 'employees']);

      // A request nobody answered expires (the sweep, or any read after its time).
      const stale = await api('/v1/verifications', { body: { employee: { id: mine.body.id }, reason: 'helpdesk', expiresIn: 60 } });
      await server.app.verification.expireDue(Date.now() + 61_000);
      const expired = await api(`/v1/verifications/${stale.body.interviewId}`);
      assert.deepEqual([expired.body.status, expired.body.outcome, expired.body.onboardingStatus], ['expired', 'not_verified', 'EXPIRED']);
      assert.ok(expired.body.receipt, 'an expired request has a receipt saying it was not verified');

      const open = await api('/v1/verifications', { body: { employee: { id: mine.body.id }, reason: 'helpdesk' } });
      const cancelled = await api(`/v1/verifications/${open.body.interviewId}/cancel`, { method: 'POST' });
      assert.deepEqual([cancelled.status, cancelled.body.status, cancelled.body.reasons], [200, 'expired', ['session_cancelled']]);
      assert.equal((await omniCall(server.baseUrl, open.body.token, '/omni/consent', { accepted: true, version: 'x' })).status, 401, 'the link died with the request');
      assert.equal((await api(`/v1/verifications/${open.body.interviewId}/cancel`, { method: 'POST' })).status, 409);
    });

    test('the Omni-shaped request-new names the employee by loginHint', async () => {
      await api('/v1/employees', { body: { employeeId: 'E3003', email: 'ops@example.com', displayName: 'Ops Person' } });
      const byEmail = await api('/omni/b2b/onboarding/request-new', { body: { loginHint: 'ops@example.com', integrationReference: 'CHG-9', notification: { type: 'NONE' } } });
      assert.deepEqual([byEmail.status, byEmail.body.mode, byEmail.body.reference], [200, 'enroll', 'CHG-9'], JSON.stringify(byEmail.body));
      const byId = await api('/omni/b2b/onboarding/request-new', { body: { loginHint: 'E3003' } });
      assert.equal(byId.body.employee.employeeId, 'E3003');
    });
  });
}
