// The baseline of bench/oidc.ts: oidc-provider 9 as its documentation sets it up, with its built-in
// in-memory adapter, one static client and an interaction that signs a fixed account in at once.
// Same routes, scopes, claims, token lifetimes and refresh-token rotation as verid, so that what the
// bench measures between the two is verid's own cost (storage, encryption, Fastify, hooks).
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { ROUTES } from '../../src/oidc/create-provider.ts';
import { BENCH_REDIRECT_URI, idTokenAlg, type BenchMessage, type ServerMessage } from './oidc-bench-protocol.ts';

const send = (message: ServerMessage) => process.send!(message);
const alg = idTokenAlg(process.env.BENCH_OIDC_ALG);

async function signingKey(name: 'RS256' | 'ES256') {
  const { privateKey } = await generateKeyPair(name, { extractable: true, ...(name === 'RS256' ? { modulusLength: 2048 } : {}) });
  return { ...await exportJWK(privateKey), alg: name, use: 'sig', kid: name.toLowerCase() };
}

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };
const issuer = `http://127.0.0.1:${port}`;
const client = { client_id: 'bench-rp', client_secret: 'bench-rp-secret-bench-rp-secret-0123456789' };
const ACCOUNT = { name: 'Noah Tremblay', given_name: 'Noah', family_name: 'Tremblay', birthdate: '1985-11-02', gender: 'male' };

const configuration: Configuration = {
  clients: [{
    ...client, redirect_uris: [BENCH_REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: alg,
  }],
  jwks: { keys: [await signingKey('RS256'), await signingKey('ES256')] } as Configuration['jwks'],
  routes: ROUTES,
  scopes: ['openid', 'offline_access', 'profile'],
  claims: { openid: ['sub', 'acr', 'amr'], profile: ['name', 'given_name', 'family_name', 'birthdate', 'gender'] },
  conformIdTokenClaims: false,
  rotateRefreshToken: true,
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
  features: { devInteractions: { enabled: false }, introspection: { enabled: true }, revocation: { enabled: true }, claimsParameter: { enabled: true } },
  ttl: { AccessToken: 3600, IdToken: 3600, RefreshToken: 14 * 86_400, AuthorizationCode: 60, Interaction: 600, Session: 14 * 86_400, Grant: 14 * 86_400 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...ACCOUNT }) }),
};
const provider = new Provider(issuer, configuration);
const callback = provider.callback();

server.on('request', (req, res) => {
  if (!req.url?.startsWith('/interaction/')) return callback(req, res);
  void (async () => {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: 'bench-user', clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: 'bench-user' }, consent: { grantId } }, { mergeWithLastSubmission: false });
  })().catch((error: unknown) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});

process.on('message', (message: BenchMessage) => {
  if (message.type === 'stop') server.close(() => process.disconnect());
  else send({ type: 'queries', count: 0 });
});
send({ type: 'ready', baseUrl: issuer, clientId: client.client_id, clientSecret: client.client_secret });
