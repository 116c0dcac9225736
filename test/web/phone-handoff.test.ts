import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { face } from '../helpers/fixtures.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Reads the QR code the page shows, as a phone's camera would. */
async function scanQr(page: Page): Promise<string> {
  const src = await page.locator('#handoff-qr').getAttribute('src');
  assert.ok(src?.startsWith('data:image/svg+xml;base64,'));
  const svg = Buffer.from(src!.slice('data:image/svg+xml;base64,'.length), 'base64');
  const { data, info } = await sharp(svg, { density: 288 }).flatten({ background: '#fff' }).greyscale().threshold(128).raw().toBuffer({ resolveWithObject: true });
  const luminance = new RGBLuminanceSource(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.PURE_BARCODE, true], [DecodeHintType.TRY_HARDER, true]]);
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(luminance)), hints).getText();
}

describe('continue on a phone: a QR code hands the session to a second browser, the first follows it', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let passportFile: string;
  let selfieFile: string;

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(path.join(tmpdir(), 'verid-handoff-'));
    passportFile = path.join(dir, 'passport.jpg');
    selfieFile = path.join(dir, 'selfie.jpg');
    await writeFile(passportFile, await generatePassport({
      issuingCountry: 'GBR', surname: 'HUGHES', givenNames: 'AMELIA', documentNumber: 'P77310046', birthDate: '1993-06-21',
      expiryDate: '2032-06-20', sex: 'F', portrait: await face('genuine/london_001/1.jpg'),
    }));
    await writeFile(selfieFile, await face('genuine/london_001/2.jpg'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await closeEngines();
    await rm(dir, { recursive: true, force: true });
  });

  /** The phone: opens the scanned link, agrees, sends the document and the selfie. */
  async function verifyOnPhone(link: string): Promise<Page> {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await phone.route(/^https:\/\/(ats|rp)\.example\.com\//, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>elsewhere</h1>' }));
    await phone.goto(link);
    await phone.waitForSelector('#capture');
    assert.equal(await phone.locator('#handoff').count(), 0, 'the phone is not offered to continue on a phone');
    await phone.getByLabel('Photo of your passport or ID card').setInputFiles(passportFile);
    await phone.getByLabel('A selfie').setInputFiles(selfieFile);
    await phone.getByLabel('I agree to this use of my face and document data.').check();
    await phone.getByRole('button', { name: 'Verify and continue' }).click();
    return phone;
  }

  test('Omni Start link: the computer shows the QR code, the phone verifies, the computer goes on to the ATS', async () => {
    const client = await registerClient(server.app.clients, {
      kind: 'api', name: 'Acme Recruiting', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
    }, async () => undefined);
    const started = await (await fetch(`${server.baseUrl}/omni/start`, {
      method: 'POST', headers: { 'x-api-key': `${client.clientId}.${client.clientSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirectionUrl: 'https://ats.example.com/done' }),
    })).json() as { url: string; interviewId: string; interviewCode: string };

    const computer = await (await browser.newContext()).newPage();
    await computer.route('https://ats.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Acme ATS</h1>' }));
    await computer.goto(started.url);
    await computer.waitForSelector('#capture');
    await computer.getByText('Continue on your phone').click();
    assert.equal(await computer.locator('#handoff-code').textContent(), started.interviewCode);
    await computer.screenshot({ path: path.join(tmpdir(), 'verid-handoff-computer.png'), fullPage: true });
    const link = await scanQr(computer);
    assert.match(link, new RegExp(`^${server.baseUrl}/verify#token=[A-Za-z0-9_-]+&via=handoff$`));

    // Redirects are followed by the browser: wait for the request to the ATS (route() sees only a chain's first request).
    const computerDone = computer.waitForRequest('https://ats.example.com/done', { timeout: 90_000 });
    const phone = await verifyOnPhone(link);
    await phone.waitForRequest('https://ats.example.com/done', { timeout: 90_000 });
    await computerDone;
    assert.equal((await server.app.verification.find(started.interviewId))?.state, 'succeeded');
  });

  test('OIDC sign-in: the phone verifies, the computer finishes the login and returns to the application with a code', async () => {
    const { rp } = await testClient(server);
    const { url } = await authorizationRequest(rp, { state: 'handoff-state' });
    const computer = await (await browser.newContext()).newPage();
    await computer.route('https://rp.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Sample RP</h1>' }));
    await computer.goto(url.href);
    await computer.waitForSelector('#capture');
    await computer.getByText('Continue on your phone').click();
    const link = await scanQr(computer);

    const returned = computer.waitForRequest((request) => request.url().startsWith('https://rp.example.com/'), { timeout: 90_000 });
    const phone = await verifyOnPhone(link);
    await phone.waitForSelector('h1:has-text("Done on this phone")', { timeout: 90_000 });
    const callback = new URL((await returned).url());
    assert.equal(callback.searchParams.get('state'), 'handoff-state');
    assert.ok(callback.searchParams.get('code'), `expected a code, got ${callback}`);
  });
});
