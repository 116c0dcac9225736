import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { scimClient } from '../helpers/scim-client.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Requests as Okta's and Entra's SCIM provisioning send them (static bearer token, application/scim+json). */
describe('SCIM 2.0 directory sync: Okta creates, Entra deactivates, the bound biometric data goes with it', () => {
  let server: TestServer;
  let bearer: string;
  let scim: ReturnType<typeof scimClient>;

  before(async () => {
    server = await startTestServer();
    const client = await registerClient(server.app.clients, {
      kind: 'api', name: 'Okta provisioning', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
    }, async () => undefined);
    bearer = `${client.clientId}.${client.clientSecret}`;
    scim = scimClient(server.baseUrl, bearer);
  });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  test('create, find by userName, verify, deactivate (face erased, requests refused), reactivate, delete', async () => {
    const created = await scim('POST', '/scim/v2/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'amelia.hughes@example.com', externalId: '00u1x2y3z4',
      name: { givenName: 'Amelia', familyName: 'Hughes' }, emails: [{ primary: true, value: 'amelia.hughes@example.com', type: 'work' }],
      displayName: 'Amelia Hughes', locale: 'en-US', groups: [], password: 'not-kept', active: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(String(created.type), /application\/scim\+json/);
    assert.equal(created.body.userName, 'amelia.hughes@example.com');
    assert.ok(!JSON.stringify(created.body).includes('not-kept'));
    const id = created.body.id as string;

    const found = await scim('GET', '/scim/v2/Users?filter=userName%20eq%20%22amelia.hughes%40example.com%22&startIndex=1&count=100');
    assert.deepEqual([found.body.totalResults, found.body.Resources[0].id], [1, id]);
    assert.equal((await scim('GET', '/scim/v2/Users?filter=userName%20eq%20%22nobody%40example.com%22')).body.totalResults, 0);

    // The provisioned name is the directory name the document must match.
    const request = await (await fetch(`${server.baseUrl}/v1/verifications`, {
      method: 'POST', headers: { 'x-api-key': bearer, 'content-type': 'application/json' }, body: JSON.stringify({ employee: { id }, reason: 'helpdesk' }),
    })).json() as { token: string; interviewId: string };
    const call = (path: string, body?: unknown) => omniCall(server.baseUrl, request.token, path, body);
    const demo = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));
    await call('/omni/consent', { accepted: true, version: 'scim-test' });
    await call('/omni/add/front-id', await demo('passport-hughes.jpg'));
    await call('/omni/process/id');
    await call('/omni/add/face', await demo('selfie-hughes.jpg'));
    assert.equal((await call('/omni/process/face')).body.state, 'succeeded');
    const bound = await (await fetch(`${server.baseUrl}/v1/employees/${id}`, { headers: { 'x-api-key': bearer } })).json() as { identityId: string };
    assert.ok(bound.identityId);

    // Entra deactivates with a string boolean.
    const off = await scim('PATCH', `/scim/v2/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    assert.deepEqual([off.status, off.body.active], [200, false], JSON.stringify(off.body));
    assert.equal(await server.app.core.identities.findFaceTemplate(bound.identityId), undefined, 'deprovisioning erased the face template');
    const refused = await fetch(`${server.baseUrl}/v1/verifications`, {
      method: 'POST', headers: { 'x-api-key': bearer, 'content-type': 'application/json' }, body: JSON.stringify({ employee: { id }, reason: 'helpdesk' }),
    });
    assert.equal(refused.status, 409, 'an inactive employee cannot be verified');

    // Okta's PATCH without path, then a PUT.
    const on = await scim('PATCH', `/scim/v2/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    assert.equal(on.body.active, true);
    const put = await scim('PUT', `/scim/v2/Users/${id}`, { ...created.body, displayName: 'Amelia J. Hughes', name: { givenName: 'Amelia', familyName: 'Hughes' } });
    assert.deepEqual([put.status, put.body.displayName, put.body.active], [200, 'Amelia J. Hughes', true]);

    assert.equal((await scim('DELETE', `/scim/v2/Users/${id}`)).status, 204);
    const gone = await scim('GET', `/scim/v2/Users/${id}`);
    assert.deepEqual([gone.status, gone.body.schemas[0], gone.body.status], [404, 'urn:ietf:params:scim:api:messages:2.0:Error', '404']);
  });

  test('filters find users by index: userName case-insensitively (also with an employeeNumber), e-mail, and rows written before the index', async () => {
    const user = (userName: string, extra: Record<string, unknown> = {}) => scim('POST', '/scim/v2/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, displayName: userName, active: true, ...extra,
    });
    const ada = (await user('Ada.Byron@Example.com', {
      emails: [{ value: 'ada.byron@example.com', primary: true }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 'E-1815' },
    })).body.id as string;
    const grace = (await user('grace.hopper@example.com')).body.id as string;
    const query = (filter: string) => scim('GET', `/scim/v2/Users?filter=${encodeURIComponent(filter)}`);
    const ids = async (filter: string) => ((await query(filter)).body.Resources as Array<{ id: string }>).map((r) => r.id);
    assert.deepEqual(await ids('userName eq "ada.byron@example.com"'), [ada], 'the userName, not the employeeNumber, and any case');
    assert.deepEqual(await ids('userName eq "E-1815"'), [], 'an employeeNumber is not a userName');
    assert.deepEqual(await ids('emails eq "ADA.BYRON@example.com"'), [ada]);
    assert.deepEqual(await ids('emails eq "nobody@example.com"'), []);
    // A row from before migration 0020 has no index: it is still found, and indexed on the way.
    await server.app.core.database.db.updateTable('employees').set({ user_name_index: null }).where('id', '=', grace).execute();
    assert.deepEqual(await ids('userName eq "GRACE.HOPPER@example.com"'), [grace]);
    const row = await server.app.core.database.db.selectFrom('employees').select('user_name_index').where('id', '=', grace).executeTakeFirstOrThrow();
    assert.ok(row.user_name_index, 'indexed by the lookup that met it');
    assert.ok(!row.user_name_index.includes('grace'), 'a keyed hash, not the name');
  });

  test('errors in SCIM\'s shape: missing userName, duplicates, unsupported filters, bad credentials, bad PATCH', async () => {
    const missing = await scim('POST', '/scim/v2/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'X' });
    assert.deepEqual([missing.status, missing.body.scimType], [400, 'invalidValue']);
    const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'dup@example.com', displayName: 'Dup Licate' };
    assert.equal((await scim('POST', '/scim/v2/Users', user)).status, 201);
    const dup = await scim('POST', '/scim/v2/Users', user);
    assert.deepEqual([dup.status, dup.body.scimType], [409, 'uniqueness']);
    const filter = await scim('GET', '/scim/v2/Users?filter=displayName%20co%20%22x%22');
    assert.deepEqual([filter.status, filter.body.scimType], [400, 'invalidFilter']);
    assert.equal((await scim('GET', '/scim/v2/Users', undefined, 'vc_nobody.wrong')).status, 401);
    const id = (await scim('GET', '/scim/v2/Users?filter=userName%20eq%20%22dup%40example.com%22')).body.Resources[0].id;
    const badPatch = await scim('PATCH', `/scim/v2/Users/${id}`, { Operations: [] });
    assert.equal(badPatch.status, 400);
    const badJson = await fetch(`${server.baseUrl}/scim/v2/Users`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json' }, body: '{"userName":' });
    assert.equal(badJson.status, 400);
    assert.equal((await scim('GET', '/scim/v2/ServiceProviderConfig')).body.patch.supported, true);
  });
});
