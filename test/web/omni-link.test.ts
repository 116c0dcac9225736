import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { face } from '../helpers/fixtures.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the Omni Start link in a real browser', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let apiKey: string;

  async function start(body: Record<string, unknown>) {
    const response = await fetch(`${server.baseUrl}/omni/start`, {
      method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    return await response.json() as { url: string; interviewId: string; interviewCode: string; token: string };
  }

  before(async () => {
    server = await startTestServer();
    const client = await registerClient(server.app.clients, {
      kind: 'api', name: 'Acme Recruiting', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
    }, async () => undefined);
    apiKey = `${client.clientId}.${client.clientSecret}`;
    dir = await mkdtemp(path.join(tmpdir(), 'verid-omni-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await closeEngines();
    await rm(dir, { recursive: true, force: true });
  });

  test('the candidate opens the link, agrees, verifies and lands on the ATS page; the token never reaches a server in a URL', async () => {
    const started = await start({ externalId: 'req-1', candidate: { name: 'Amelia Hughes' }, redirectionUrl: 'https://ats.example.com/onboarding/done?step=id' });
    const passportFile = path.join(dir, 'passport.jpg');
    const selfieFile = path.join(dir, 'selfie.jpg');
    await writeFile(passportFile, await generatePassport({
      issuingCountry: 'GBR', surname: 'HUGHES', givenNames: 'AMELIA', documentNumber: 'P77310045', birthDate: '1993-06-21',
      expiryDate: '2032-06-20', sex: 'F', portrait: await face('genuine/london_001/1.jpg'),
    }));
    await writeFile(selfieFile, await face('genuine/london_001/2.jpg'));
    const page = await browser.newPage();
    const violations: string[] = [];
    const urls: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
    page.on('request', (request) => urls.push(request.url()));
    await page.route('https://ats.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Acme ATS</h1>' }));
    await page.goto(started.url);
    await page.waitForSelector('#capture');
    assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
    assert.match(await page.locator('#consent-box').textContent() ?? '', /Acme Recruiting receives the result, the data read from your document and the photos/);
    await page.getByLabel('Photo of your passport or ID card').setInputFiles(passportFile);
    await page.getByLabel('A selfie').setInputFiles(selfieFile);
    await page.getByLabel('I agree to this use of my face and document data.').check();
    await page.screenshot({ path: path.join(tmpdir(), 'verid-omni-page.png'), fullPage: true });
    const landed = page.waitForRequest((request) => request.url().startsWith('https://ats.example.com/'), { timeout: 90_000 });
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    assert.equal((await landed).url(), 'https://ats.example.com/onboarding/done?step=id');
    const decided = await server.app.verification.find(started.interviewId);
    assert.equal(decided?.state, 'succeeded');
    assert.equal(decided?.consentVersion, 'verid-onboarding-consent-2026-12-01', 'the version of the text the page showed');
    assert.ok(urls.every((url) => !url.includes(started.token)), 'no request URL carried the token');
    assert.deepEqual(violations, []);
  });

  test('the candidate types the interview code instead; a wrong code and a cross-site form are refused', async () => {
    const started = await start({ externalId: 'req-2' });
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/start`);
    await page.getByLabel('Code').fill('ZZZZZZZZ');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.locator('h1').textContent() ?? '', /Code not found/);
    await page.goto(`${server.baseUrl}/start`);
    await page.getByLabel('Code').fill(started.interviewCode.toLowerCase().replace(/^(....)/, '$1-'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('#capture');
    assert.match(await page.locator('#consent-box').textContent() ?? '', /Acme Recruiting/);

    const crossSite = await fetch(`${server.baseUrl}/verify`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example.net' },
      body: new URLSearchParams({ token: started.token }),
    });
    assert.equal(crossSite.status, 403);
    const noOrigin = await fetch(`${server.baseUrl}/start`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: started.interviewCode }),
    });
    assert.equal(noOrigin.status, 403, 'a form without Origin or Referer is not ours');
  });

  test('a link without a token, or with one that is not valid, says what to do', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/verify`);
    assert.match(await page.locator('#no-token').textContent() ?? '', /type the code/);
    const other = await browser.newPage();
    await other.goto(`${server.baseUrl}/verify#token=${'x'.repeat(43)}`);
    await other.waitForURL(`${server.baseUrl}/verify`);
    await other.waitForSelector('h1:has-text("Link not valid")');
  });
});
