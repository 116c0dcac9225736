import * as oidc from 'openid-client';
import { registerClient, type TokenEndpointAuthMethod } from '../../src/oidc/client-registration.ts';
import type { TestServer } from './test-server.ts';

export const REDIRECT_URI = 'https://rp.example.com/callback';

/** Registers a demo client on a test server and discovers it as openid-client would. */
export async function testClient(server: TestServer, options: { method?: TokenEndpointAuthMethod; name?: string; postLogoutRedirectUris?: string[] } = {}) {
  const registered = await registerClient(server.app.clients, {
    name: options.name ?? 'Test RP', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: options.postLogoutRedirectUris ?? [],
    environment: 'demo', tokenEndpointAuthMethod: options.method ?? 'client_secret_basic',
  }, async () => {});
  const rp = await oidc.discovery(new URL(server.baseUrl), registered.clientId, registered.clientSecret ?? undefined, undefined,
    { execute: [oidc.allowInsecureRequests] });
  return { ...registered, rp };
}

/** An authorization request with fresh state, nonce and PKCE verifier. */
export async function authorizationRequest(rp: oidc.Configuration, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT_URI, scope: 'openid profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  return { url, verifier, state, nonce };
}

/** The same token request sent `n` times at once with client_secret_basic, as an attacker racing the client would. */
export async function raceTokenRequests(baseUrl: string, client: { clientId: string; clientSecret: string }, body: Record<string, string>, n = 6) {
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  return Promise.all(Array.from({ length: n }, async () => {
    const response = await fetch(new URL('/oauth2/token', baseUrl), {
      method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body),
    });
    return { status: response.status, body: await response.json() as { error?: string; access_token?: string; refresh_token?: string } };
  }));
}
