// A minimal relying party for trying verid: `node examples/sample-rp.ts` then open http://localhost:3000.
// Configure with VERID_URL, CLIENT_ID, CLIENT_SECRET (from `npx verid clients create ...`).
import { createServer } from 'node:http';
import * as oidc from 'openid-client';

const issuer = new URL(process.env.VERID_URL ?? 'http://localhost:8080');
const port = Number(process.env.RP_PORT ?? 3000);
const redirectUri = `http://localhost:${port}/callback`;
const clientId = process.env.CLIENT_ID;
const clientSecret = process.env.CLIENT_SECRET;
if (!clientId || !clientSecret) {
  console.error('Set CLIENT_ID and CLIENT_SECRET (see README: "Log into a sample app").');
  process.exit(1);
}

const config = await oidc.discovery(issuer, clientId, clientSecret, undefined,
  issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined);
const pending = new Map<string, { verifier: string; nonce: string }>();
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://localhost:${port}`);
  try {
    if (url.pathname === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce });
      const authorize = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: 'openid profile email identity_assurance', state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      res.writeHead(302, { location: authorize.href }).end();
    } else if (url.pathname === '/callback') {
      const state = url.searchParams.get('state') ?? '';
      const request = pending.get(state);
      pending.delete(state);
      if (url.searchParams.get('error') || !request) {
        res.writeHead(400, { 'content-type': 'text/html' }).end(`<h1>Login failed</h1><p>${escape(url.searchParams.get('error') ?? 'unknown state')}: ${escape(url.searchParams.get('error_description') ?? '')}</p><a href="/login">Try again</a>`);
        return;
      }
      const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: request.verifier, expectedState: state, expectedNonce: request.nonce });
      const claims = tokens.claims();
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Hello, ${escape(String(claims?.name ?? claims?.sub))}</h1><p>Your ID token:</p><pre>${escape(JSON.stringify(claims, null, 2))}</pre>`);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Sample app</h1><p><a href="/login">Log in with verid</a></p>');
    }
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
}).listen(port, () => console.log(`sample app on http://localhost:${port} (redirect URI ${redirectUri})`));
