import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => {
  await server.close();
  await closeEngines();
});

test('examples/helpdesk.ts: prints the code, the caller types it at /start and verifies, the example reports "verified" with a checked receipt', async () => {
  const client = await registerClient(server.app.clients, {
    kind: 'api', name: 'Help desk', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
  }, async () => undefined);
  const example = spawn(process.execPath, [new URL('../../examples/helpdesk.ts', import.meta.url).pathname, 'E9009', 'Amelia Hughes', '', 'INC-9'], {
    env: { ...process.env, VERID_URL: server.baseUrl, VERID_API_KEY: `${client.clientId}.${client.clientSecret}`, VERID_WEBHOOK_SECRET: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  example.stdout.on('data', (chunk) => { out += String(chunk); });
  while (!/type: [A-Z0-9]{8}/.test(out)) await new Promise((resolve) => setTimeout(resolve, 100));
  const code = /type: ([A-Z0-9]{8})/.exec(out)![1]!;

  // The caller, on the phone with the agent, types the code and verifies.
  const page = await fetch(`${server.baseUrl}/start`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl }, body: new URLSearchParams({ code }),
  });
  const token = /data-token="([^"]+)"/.exec(await page.text())![1]!;
  const call = (path: string, body?: unknown) => omniCall(server.baseUrl, token, path, body);
  const demo = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));
  await call('/omni/consent', { accepted: true, version: 'verid-onboarding-consent-2026-12-01' });
  await call('/omni/add/front-id', await demo('passport-hughes.jpg'));
  await call('/omni/process/id');
  await call('/omni/add/face', await demo('selfie-hughes.jpg'));
  assert.equal((await call('/omni/process/face')).body.state, 'succeeded');

  const [exitCode] = await once(example, 'exit');
  assert.equal(exitCode, 0, out);
  assert.match(out, /Verified as Amelia Hughes \(face\); receipt \S+ checked against verid's keys/);
});
