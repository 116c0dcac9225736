import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let server: TestServer;
let browser: Browser;

before(async () => {
  server = await startTestServer();
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  await server.close();
  await closeEngines();
});

test('/docs renders the API reference from the package, under its own CSP, with nothing fetched elsewhere', { skip: existsSync(CHROMIUM) ? false : 'no Chromium' }, async () => {
  const page = await browser.newPage();
  const blocked: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) blocked.push(message.text()); });
  page.on('request', (request) => { if (!request.url().startsWith(server.baseUrl) && !request.url().startsWith('data:')) foreign.push(request.url()); });
  const response = await page.goto(`${server.baseUrl}/docs/`);
  assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self' 'nonce-/);
  await page.getByRole('heading', { name: 'verid API' }).waitFor({ timeout: 30_000 });
  assert.ok((await page.content()).includes('/omni/consent'), 'the operations are listed');
  assert.equal(await page.title(), 'verid API');
  assert.deepEqual(blocked, []);
  assert.deepEqual(foreign, []);
});
