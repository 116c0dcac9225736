import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';

interface ApiClient { clientId: string; secret: string; apiKey: string }

// Attacks on the API clients' side of Omni Start (docs/security.md "API clients"); each test was a
// working attack before its fix.
describe('API clients: attacks', () => {
  const servers = testServers();
  let server: TestServer;

  async function apiClient(name: string, scopes?: string[]): Promise<ApiClient> {
    const { clientId, clientSecret } = await registerClient(server.app.clients, {
      kind: 'api', name, redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic', ...(scopes ? { scopes } : {}),
    }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
    return { clientId, secret: clientSecret!, apiKey: `${clientId}.${clientSecret}` };
  }

  async function accessToken(client: ApiClient, scope: string) {
    const response = await fetch(`${server.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
    });
    return { status: response.status, body: await response.json() as Record<string, unknown> };
  }

  before(async () => { server = await servers.start(); });
  after(() => servers.closeAll());

  test('an unknown scope at client_credentials is invalid_scope, not a token with every registered scope', async () => {
    const ats = await apiClient('ATS');
    // A typo'd narrow scope used to give a token without `scope`, which the API reads as all the client's scopes.
    for (const scope of ['sessions:raed', 'omni:start sessions:raed', 'admin']) {
      const answer = await accessToken(ats, scope);
      assert.deepEqual([answer.status, answer.body.error], [400, 'invalid_scope'], `${scope}: ${JSON.stringify(answer.body)}`);
    }
    const known = await accessToken(ats, 'sessions:read');
    assert.deepEqual([known.status, known.body.scope], [200, 'sessions:read']);
    const started = await fetch(`${server.baseUrl}/omni/start`, {
      method: 'POST', headers: { authorization: `Bearer ${String(known.body.access_token)}`, 'content-type': 'application/json' }, body: '{}',
    });
    assert.equal(started.status, 403, 'the narrow token stays narrow');
  });

  test('candidate.name cannot lay out the e-mail verid sends (line breaks, control characters)', async () => {
    const ats = await apiClient('ATS mail');
    const start = (name: string) => fetch(`${server.baseUrl}/omni/start`, {
      method: 'POST', headers: { 'x-api-key': ats.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ candidate: { name } }),
    });
    for (const name of ['Ann,\r\n\r\nYour account is locked: https://evil.example/unlock\r\n', 'Ann\nLee', 'Ann\u2028Lee', 'Ann\u0000', 'Ann\u0085Lee', 'Ann\tLee']) {
      const answer = await start(name);
      const body = await answer.json() as { error?: { code: string; details?: { field?: string } } };
      assert.deepEqual([answer.status, body.error?.code, body.error?.details?.field], [400, 'validation_failed', 'body/candidate/name'], JSON.stringify(name));
    }
    assert.equal((await start('María-José O\'Brien Núñez')).status, 200);
  });
});
