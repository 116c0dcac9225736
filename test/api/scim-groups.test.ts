import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { scimClient } from '../helpers/scim-client.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Group push as Okta and Entra send it (their documented request shapes), and what another client cannot do. */
describe('SCIM 2.0 Groups: Okta and Entra push groups of the Users they provisioned', () => {
  let server: TestServer;
  let okta: ReturnType<typeof scimClient>;
  let entra: ReturnType<typeof scimClient>;

  async function apiClient(name: string, scopes?: string[]) {
    const client = await registerClient(server.app.clients, {
      kind: 'api', name, redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic', ...(scopes ? { scopes } : {}),
    }, async () => undefined);
    return scimClient(server.baseUrl, `${client.clientId}.${client.clientSecret}`);
  }

  async function user(scim: ReturnType<typeof scimClient>, userName: string): Promise<string> {
    const created = await scim('POST', '/scim/v2/Users', { schemas: [USER], userName, name: { givenName: 'Test', familyName: userName.split('@')[0] }, active: true });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id as string;
  }

  const members = (group: Record<string, any>) => (group.members as Array<{ value: string }>).map((m) => m.value).sort(); // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    server = await startTestServer();
    okta = await apiClient('Okta provisioning');
    entra = await apiClient('Entra provisioning');
  });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  test('Okta: look up by displayName, create, add members, rename, remove one member, delete', async () => {
    const [ana, ben] = [await user(okta, 'ana@example.com'), await user(okta, 'ben@example.com')];
    const lookup = await okta('GET', '/scim/v2/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100');
    assert.deepEqual([lookup.status, lookup.body.totalResults, lookup.body.Resources], [200, 0, []]);

    const created = await okta('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Test SCIMv2', members: [] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(String(created.type), /application\/scim\+json/);
    const id = created.body.id as string;
    assert.deepEqual([created.body.schemas, created.body.displayName, created.body.members, created.body.meta.resourceType],
      [[GROUP], 'Test SCIMv2', [], 'Group']);
    assert.equal(created.body.meta.location, `${server.baseUrl}/scim/v2/Groups/${id}`);

    const added = await okta('PATCH', `/scim/v2/Groups/${id}`, {
      schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ana, display: 'ana@example.com' }, { value: ben, display: 'ben@example.com' }] }],
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(members(added.body), [ana, ben].sort());
    assert.equal(added.body.members.find((m: { value: string }) => m.value === ana).$ref, `${server.baseUrl}/scim/v2/Users/${ana}`);

    const renamed = await okta('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id, displayName: 'Test SCIMv2 renamed' } }] });
    assert.deepEqual([renamed.status, renamed.body.displayName, members(renamed.body).length], [200, 'Test SCIMv2 renamed', 2]);

    const removed = await okta('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ana}"]` }] });
    assert.deepEqual(members(removed.body), [ben]);
    const found = await okta('GET', '/scim/v2/Groups?filter=displayName%20eq%20%22test%20scimv2%20RENAMED%22');
    assert.deepEqual([found.body.totalResults, found.body.Resources[0].id], [1, id], 'displayName is matched case-insensitively');

    // The User shows its groups (read-only `groups`, RFC 7643 §4.1.2).
    const benUser = await okta('GET', `/scim/v2/Users/${ben}`);
    assert.deepEqual(benUser.body.groups, [{ value: id, display: 'Test SCIMv2 renamed', $ref: `${server.baseUrl}/scim/v2/Groups/${id}`, type: 'direct' }]);
    assert.equal((await okta('GET', `/scim/v2/Users/${ana}`)).body.groups, undefined);

    // Okta's full replace (PUT) sets the member list.
    const put = await okta('PUT', `/scim/v2/Groups/${id}`, { schemas: [GROUP], id, displayName: 'Test SCIMv2', members: [{ value: ana }] });
    assert.deepEqual([put.status, put.body.displayName, members(put.body)], [200, 'Test SCIMv2', [ana]]);

    assert.equal((await okta('DELETE', `/scim/v2/Groups/${id}`)).status, 204);
    assert.equal((await okta('GET', `/scim/v2/Groups/${id}`)).status, 404);
    assert.equal((await okta('GET', `/scim/v2/Users/${ana}`)).body.groups, undefined, 'no group left on the User');
  });

  test('Entra: create with externalId, read without members, rename, add and remove members in both documented shapes', async () => {
    const [cara, dev] = [await user(entra, 'cara@example.com'), await user(entra, 'dev@example.com')];
    const none = await entra('GET', '/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22Finance%22');
    assert.equal(none.body.totalResults, 0);
    const created = await entra('POST', '/scim/v2/Groups', {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Finance', meta: { resourceType: 'Group' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal(created.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');

    const slim = await entra('GET', `/scim/v2/Groups/${id}?excludedAttributes=members`);
    assert.deepEqual([slim.status, 'members' in slim.body, slim.body.displayName], [200, false, 'Finance']);
    const byExternalId = await entra('GET', '/scim/v2/Groups?filter=externalId+eq+%228aa1a0c0-c4c3-4bc0-b4a5-2ef676900159%22&excludedAttributes=members');
    assert.deepEqual([byExternalId.body.totalResults, 'members' in byExternalId.body.Resources[0]], [1, false]);

    const renamed = await entra('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Finance EMEA' }] });
    assert.deepEqual([renamed.status, renamed.body.displayName], [200, 'Finance EMEA']);

    const added = await entra('PATCH', `/scim/v2/Groups/${id}`, {
      schemas: [PATCH_OP], Operations: [{ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: cara }, { $ref: null, value: dev }] }],
    });
    assert.deepEqual(members(added.body), [cara, dev].sort());
    const removed = await entra('PATCH', `/scim/v2/Groups/${id}`, {
      schemas: [PATCH_OP], Operations: [{ name: 'removeMember', op: 'Remove', path: 'members', value: [{ $ref: null, value: cara }] }],
    });
    assert.deepEqual(members(removed.body), [dev]);
    const filtered = await entra('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `members[value eq "${dev}"]` }] });
    assert.deepEqual(filtered.body.members, []);

    // Several ops in one PATCH apply in order; a deleted User leaves every group.
    const both = await entra('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [
      { op: 'Add', path: 'members', value: [{ value: cara }, { value: dev }] },
      { op: 'Remove', path: 'members', value: [{ value: dev }] },
      { op: 'Add', path: 'members', value: [{ value: dev }] },
    ] });
    assert.deepEqual(members(both.body), [cara, dev].sort());
    assert.equal((await entra('DELETE', `/scim/v2/Users/${cara}`)).status, 204);
    assert.deepEqual(members((await entra('GET', `/scim/v2/Groups/${id}`)).body), [dev]);
    const cleared = await entra('PATCH', `/scim/v2/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members' }] });
    assert.deepEqual(cleared.body.members, [], 'remove without a value empties the list (RFC 7644 §3.5.2.2)');
  });

  test('another client sees none of the groups and cannot put its Users in them, nor put another client\'s Users in its own', async () => {
    const oktaUser = await user(okta, 'erin@example.com');
    const group = (await okta('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: oktaUser }] })).body;
    const entraUser = await user(entra, 'finn@example.com');

    assert.equal((await entra('GET', `/scim/v2/Groups/${group.id}`)).status, 404);
    assert.equal((await entra('GET', '/scim/v2/Groups?filter=displayName%20eq%20%22Admins%22')).body.totalResults, 0);
    const foreignPatch = await entra('PATCH', `/scim/v2/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: entraUser }] }] });
    assert.equal(foreignPatch.status, 404);
    assert.equal((await entra('PUT', `/scim/v2/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Mine', members: [] })).status, 404);
    assert.equal((await entra('DELETE', `/scim/v2/Groups/${group.id}`)).status, 404);
    assert.deepEqual(members((await okta('GET', `/scim/v2/Groups/${group.id}`)).body), [oktaUser], 'unchanged');

    // A User id of another client is refused like an unknown one, and nothing is written.
    const stolen = await entra('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Stolen', members: [{ value: oktaUser }] });
    assert.deepEqual([stolen.status, stolen.body.scimType], [400, 'invalidValue']);
    assert.ok(!JSON.stringify(stolen.body).includes(oktaUser), 'the error does not echo the id');
    assert.equal((await entra('GET', '/scim/v2/Groups?filter=displayName%20eq%20%22Stolen%22')).body.totalResults, 0);
    const own = (await entra('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Admins' })).body;
    assert.ok(own.id, 'the same displayName is free for another client');
    const mixed = await entra('PATCH', `/scim/v2/Groups/${own.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: entraUser }, { value: oktaUser }] }] });
    assert.deepEqual([mixed.status, mixed.body.scimType], [400, 'invalidValue']);
    assert.deepEqual((await entra('GET', `/scim/v2/Groups/${own.id}`)).body.members, [], 'a refused PATCH changes nothing');

    const noScope = await apiClient('Sessions only', ['sessions:read']);
    assert.equal((await noScope('GET', '/scim/v2/Groups')).status, 403);
    assert.equal((await okta('GET', '/scim/v2/Groups', undefined, 'vc_nobody.wrong')).status, 401);
  });

  test('errors in SCIM\'s shape: duplicate displayName, missing displayName, bad members, unsupported paths, ops and filters', async () => {
    assert.equal((await okta('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Support' })).status, 201);
    const dup = await okta('POST', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'SUPPORT' });
    assert.deepEqual([dup.status, dup.body.scimType, dup.body.schemas[0]], [409, 'uniqueness', 'urn:ietf:params:scim:api:messages:2.0:Error']);
    const id = (await okta('GET', '/scim/v2/Groups?filter=displayName%20eq%20%22Support%22')).body.Resources[0].id;
    const cases: Array<[string, unknown, number, string]> = [
      ['POST', { schemas: [GROUP] }, 400, 'invalidValue'],
      ['POST', { schemas: [GROUP], displayName: 'X', members: 'everyone' }, 400, 'invalidValue'],
      ['POST', { schemas: [GROUP], displayName: 'X', members: [{ display: 'no value' }] }, 400, 'invalidValue'],
      ['PATCH', { Operations: [{ op: 'add', path: 'members', value: [] }] }, 400, 'invalidSyntax'],
      ['PATCH', { schemas: [PATCH_OP], Operations: [] }, 400, 'invalidSyntax'],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'move', path: 'members' }] }, 400, 'invalidSyntax'],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'owner', value: 'me' }] }, 400, 'invalidPath'],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { owner: 'me' } }] }, 400, 'invalidPath'],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: '' }] }, 400, 'invalidValue'],
    ];
    for (const [method, body, status, scimType] of cases) {
      const response = await okta(method, method === 'POST' ? '/scim/v2/Groups' : `/scim/v2/Groups/${id}`, body);
      assert.deepEqual([response.status, response.body.scimType], [status, scimType], `${method} ${JSON.stringify(body)}`);
    }
    const filter = await okta('GET', '/scim/v2/Groups?filter=displayName%20co%20%22Sup%22');
    assert.deepEqual([filter.status, filter.body.scimType], [400, 'invalidFilter']);
    assert.equal((await okta('PATCH', '/scim/v2/Groups/no-such-group', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members' }] })).status, 404);
    assert.equal((await okta('GET', '/scim/v2/Groups/Support')).status, 404);
  });
});
