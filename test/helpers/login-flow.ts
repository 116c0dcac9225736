import assert from 'node:assert/strict';
import { Browser } from './browser.ts';

export interface CaptureResult {
  /** Where verid finally sent the browser (the RP's redirect_uri with code/state or error). */
  callback: URL;
  token: string;
  processId: Record<string, unknown>;
  processFace: Record<string, unknown> | undefined;
}

async function post(baseUrl: string, path: string, token: string, body?: Buffer): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'image/jpeg' } : {}) },
    body: body ? new Uint8Array(body) : undefined,
  });
  const json = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(json)}`);
  return json;
}

/** Opens the hosted capture page of a login, reads the session token the page uses. */
export async function openCapturePage(browser: Browser, authorizationUrl: URL): Promise<{ uid: string; token: string; csrf: string; page: URL }> {
  const { response, url } = await browser.follow(authorizationUrl);
  const html = await response.text();
  assert.equal(response.status, 200, html);
  const token = /data-token="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const uid = /^\/interaction\/([^/]+)$/.exec(url.pathname)?.[1];
  assert.ok(token && uid && csrf, `expected the capture page, got ${url}`);
  return { uid, token, csrf, page: url };
}

/** What the hosted page does when the person ticks "I agree" and starts: records their consent. */
export async function agree(baseUrl: string, token: string): Promise<void> {
  const response = await fetch(`${baseUrl}/omni/consent`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ accepted: true, version: 'verid-consent-2026-12-01' }),
  });
  assert.equal(response.status, 200, await response.text());
}

/** Presses the page's "continue" (the form capture.js submits when the verification is done). */
export async function completeInteraction(browser: Browser, baseUrl: string, page: { uid: string; csrf: string }): Promise<URL> {
  const { url } = await browser.follow(new URL(`/interaction/${page.uid}/complete`, baseUrl), {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: page.csrf }).toString(),
  });
  return url;
}

/**
 * Does what a person does on the hosted page: uploads the document and the selfie through the
 * Omni endpoints, processes them, then continues back to the application.
 */
export async function verifyInBrowser(browser: Browser, authorizationUrl: URL, images: { front: Buffer; selfie: Buffer }): Promise<CaptureResult> {
  const opened = await openCapturePage(browser, authorizationUrl);
  const { token, page } = opened;
  const baseUrl = page.origin;
  await agree(baseUrl, token);
  await post(baseUrl, '/omni/add/front-id', token, images.front);
  await post(baseUrl, '/omni/add/face', token, images.selfie);
  const processId = await post(baseUrl, '/omni/process/id', token);
  const processFace = processId.documentFound ? await post(baseUrl, '/omni/process/face', token) : undefined;
  const callback = await completeInteraction(browser, baseUrl, opened);
  return { callback, token, processId, processFace };
}

/**
 * RP-initiated logout in the browser: opens verid's end-session URL, confirms "Sign out" on its
 * page, and returns where verid then sends the browser (the client's post-logout redirect URI).
 */
export async function signOutAtVerid(browser: Browser, endSessionUrl: URL): Promise<URL> {
  const { response, url } = await browser.follow(endSessionUrl);
  const html = await response.text();
  assert.equal(response.status, 200, html);
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'a logout confirmation form');
  const fields = new URLSearchParams([...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  fields.set('logout', 'yes');
  const done = await browser.request(new URL(form[1]!, url), { method: 'POST', body: fields });
  assert.equal(done.status, 303, await done.text());
  return new URL(done.headers.get('location') ?? '', url);
}
