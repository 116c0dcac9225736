import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';

const demoFile = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));

describe('CIBA (poll mode) with openid-client: an employee as login_hint, verified by a selfie, gives an ID token', () => {
  const servers = testServers();
  let server: TestServer;
  let rp: oidc.Configuration;
  let apiKey: string;
  let clientId: string;

  async function api(path: string, body?: unknown) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST', headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return await response.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  async function verify(token: string, selfie: string, document?: string) {
    const call = (path: string, payload?: unknown) => omniCall(server.baseUrl, token, path, payload);
    await call('/omni/consent', { accepted: true, version: 'pam-1' });
    if (document) {
      await call('/omni/add/front-id', await demoFile(document));
      await call('/omni/process/id');
    }
    await call('/omni/add/face', await demoFile(selfie));
    return (await call('/omni/process/face')).body.state as string;
  }

  /** The employee opens the link verid sent them (the test reads it where the delivery job does). */
  async function linkTokenOfLatest(employeeId: string): Promise<string> {
    const [session] = await server.app.verification.listForClient(clientId, { origin: 'b2b', employeeId }, 1);
    const token = await server.app.core.sessions.loadLinkToken(session!.interviewId);
    assert.ok(token, 'verid queued the link for the employee');
    return token;
  }

  before(async () => {
    server = await servers.start({ overrides: { smsProvider: 'console' } });
    const client = await registerClient(server.app.clients, {
      kind: 'api', ciba: true, name: 'PAM', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
    }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
    clientId = client.clientId;
    apiKey = `${client.clientId}.${client.clientSecret}`;
    rp = await oidc.discovery(new URL(server.baseUrl), client.clientId, client.clientSecret!, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  after(() => servers.closeAll());

  test('enrolled employee: backchannel request → link by SMS → selfie → the poll returns an ID token for the bound identity', async () => {
    assert.equal(rp.serverMetadata().backchannel_authentication_endpoint, `${server.baseUrl}/oauth2/backchannel`);
    const employee = await api('/v1/employees', { employeeId: 'E5005', displayName: 'Amelia Hughes', phone: '+447700900555' });
    const enrol = await api('/v1/verifications', { employee: { id: employee.id }, reason: 'privileged_access' });
    assert.equal(await verify(enrol.token, 'selfie-hughes.jpg', 'passport-hughes.jpg'), 'succeeded');
    const identityId = (await api(`/v1/employees/${employee.id}`)).identityId as string;
    assert.ok(identityId);

    const request = await oidc.initiateBackchannelAuthentication(rp, { scope: 'openid profile', login_hint: 'E5005', binding_message: 'PAM-77' });
    assert.ok(request.auth_req_id);
    assert.equal(await verify(await linkTokenOfLatest(employee.id), 'selfie-hughes.jpg'), 'succeeded');
    const tokens = await oidc.pollBackchannelAuthenticationGrant(rp, request);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, identityId);
    assert.equal(claims.family_name, 'Hughes');
    assert.equal(claims.acr, 'urn:verid:acr:document-face');
  });

  test('a failed selfie ends the request with access_denied; unknown and unenrolled employees are unknown_user_id', async () => {
    const request = await oidc.initiateBackchannelAuthentication(rp, { scope: 'openid', login_hint: 'E5005' });
    const employee = await api('/v1/employees', { employeeId: 'E5005', displayName: 'Amelia Hughes', phone: '+447700900555' });
    assert.equal(await verify(await linkTokenOfLatest(employee.id), 'selfie-someone-else.jpg'), 'failed');
    await assert.rejects(oidc.pollBackchannelAuthenticationGrant(rp, request), (error: { error?: string }) => error.error === 'access_denied');

    await assert.rejects(oidc.initiateBackchannelAuthentication(rp, { scope: 'openid', login_hint: 'nobody@example.com' }),
      (error: { error?: string }) => error.error === 'unknown_user_id');
    await api('/v1/employees', { employeeId: 'E6006', displayName: 'Not Yet', phone: '+447700900666' });
    await assert.rejects(oidc.initiateBackchannelAuthentication(rp, { scope: 'openid', login_hint: 'E6006' }),
      (error: { error?: string }) => error.error === 'unknown_user_id');
  });
});
