import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { face } from '../helpers/fixtures.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('hosted capture page in a real browser', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(tmpdir(), 'verid-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await closeEngines();
    await rm(dir, { recursive: true, force: true });
  });

  test('a person uploads their passport and selfie and returns to the application with a code', async () => {
    const { rp } = await testClient(server);
    const { url } = await authorizationRequest(rp, { state: 'browser-state' });
    const passportFile = path.join(dir, 'passport.jpg');
    const selfieFile = path.join(dir, 'selfie.jpg');
    await writeFile(passportFile, await generatePassport({
      issuingCountry: 'GBR', surname: 'HUGHES', givenNames: 'AMELIA', documentNumber: 'P77310044', birthDate: '1993-06-21',
      expiryDate: '2032-06-20', sex: 'F', portrait: await face('genuine/london_001/1.jpg'),
    }));
    await writeFile(selfieFile, await face('genuine/london_001/2.jpg'));

    const page = await browser.newPage();
    // The page runs under verid's Content-Security-Policy: anything it blocks is a bug.
    const violations: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
    await page.route('https://rp.example.com/**', async (route) => {
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Sample RP</h1>' });
    });
    await page.goto(url.href);
    assert.equal(await page.title(), 'Verify your identity · verid');
    await page.getByLabel('Photo of your passport or ID card').setInputFiles(passportFile);
    await page.getByLabel('A selfie').setInputFiles(selfieFile);
    // Nothing leaves the browser before the person agrees to what the page says.
    assert.match(await page.locator('#consent-box').textContent() ?? '', /Test RP asks verid to check your identity[\s\S]*deleted 30 days after the check/);
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    assert.match(await page.getByRole('status').textContent() ?? '', /tick the box to agree/);
    await page.getByLabel('I agree to this use of my face and document data.').check();
    await page.screenshot({ path: path.join(tmpdir(), 'verid-capture-page.png'), fullPage: true });
    const returned = page.waitForRequest((request) => request.url().startsWith('https://rp.example.com/'), { timeout: 90_000 });
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    const callback = new URL((await returned).url());
    assert.equal(callback.searchParams.get('state'), 'browser-state');
    assert.ok(callback.searchParams.get('code'), `expected a code, got ${callback}`);
    assert.deepEqual(violations, []);
  });

  test('an unreadable document photo shows the reason and lets the person try again', async () => {
    const { rp } = await testClient(server);
    const { url } = await authorizationRequest(rp, { state: 's2' });
    const selfieFile = path.join(dir, 'selfie2.jpg');
    await writeFile(selfieFile, await face('genuine/london_001/2.jpg'));
    const page = await browser.newPage();
    await page.goto(url.href);
    await page.getByLabel('Photo of your passport or ID card').setInputFiles(selfieFile);
    await page.getByLabel('A selfie').setInputFiles(selfieFile);
    await page.getByLabel('I agree to this use of my face and document data.').check();
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    await page.locator('#status.error').waitFor({ timeout: 60_000 });
    assert.match(await page.getByRole('status').textContent() ?? '', /document|machine-readable/);
    assert.equal(await page.getByRole('button', { name: 'Verify and continue' }).isEnabled(), true);
    assert.match(page.url(), /\/interaction\//);
    await page.screenshot({ path: path.join(tmpdir(), 'verid-capture-error.png'), fullPage: true });
  });
});
