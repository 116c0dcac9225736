import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Browser } from '../helpers/browser.ts';
import { closeEngines, freePort, type TestServer } from '../helpers/test-server.ts';
import {
  assertVeridAsksToVerifyAgain, holderImages, missingPackage, signInThroughRelyingParty, signOutThroughRelyingParty,
  startProgram, veridSubject, veridWithClient, type RelyingPartyProgram,
} from './rp-harness.ts';

const APACHE = '/usr/sbin/apache2';
const MODULE = '/usr/lib/apache2/modules/mod_auth_openidc.so';
const FILES = new URL('apache/', import.meta.url);
const skip = missingPackage(() => existsSync(APACHE) && existsSync(MODULE), 'libapache2-mod-auth-openidc apache2');

/** `KEY=value` lines (what whoami.cgi prints) as an object. */
function variables(body: string): Record<string, string> {
  return Object.fromEntries(body.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

test('docs/oidc.md shows the mod_auth_openidc configuration this test runs, unchanged', async () => {
  const docs = await readFile(new URL('../../docs/oidc.md', import.meta.url), 'utf8');
  assert.ok(docs.includes(await readFile(new URL('verid-openidc.conf', FILES), 'utf8')), 'copy test/rp/apache/verid-openidc.conf into docs/oidc.md');
});

describe('Apache mod_auth_openidc (Debian libapache2-mod-auth-openidc) as the relying party', { skip }, () => {
  let server: TestServer;
  let apache: RelyingPartyProgram;
  let dir: string;
  let app: string;

  before(async () => {
    const port = await freePort();
    app = `http://127.0.0.1:${port}`;
    const started = await veridWithClient(`${app}/protected/redirect_uri`, `${app}/logged-out.html`);
    server = started.server;
    // Apache drops to `nobody` when started as root: everything it reads lives in one readable directory.
    dir = await mkdtemp(path.join(tmpdir(), 'verid-apache-'));
    await chmod(dir, 0o755);
    for (const file of ['httpd.conf', 'verid-openidc.conf', 'whoami.cgi']) await copyFile(new URL(file, FILES), path.join(dir, file));
    await mkdir(path.join(dir, 'htdocs'));
    await writeFile(path.join(dir, 'htdocs', 'logged-out.html'), 'signed out\n');
    apache = await startProgram(APACHE, ['-X', '-f', path.join(dir, 'httpd.conf'), ...(process.getuid?.() === 0 ? ['-D', 'AS_ROOT'] : [])], {
      env: {
        RP_DIR: dir, APP_PORT: String(port), APP_URL: app, VERID_ISSUER: server.baseUrl,
        VERID_CLIENT_ID: started.client.client_id, VERID_CLIENT_SECRET: started.client.client_secret,
        OIDC_CRYPTO_PASSPHRASE: randomBytes(32).toString('base64url'),
      },
      readyUrl: new URL('/logged-out.html', app),
      log: () => (existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''),
    });
  });

  after(async () => {
    await apache?.stop();
    await server?.close();
    await closeEngines();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('protects a page: a verification signs the person in as verid\'s sub, logout signs them out of Apache and verid', async () => {
    const browser = new Browser();
    const protectedPage = new URL('/protected/whoami', app);
    const signIn = await signInThroughRelyingParty(browser, protectedPage, await holderImages());
    assert.equal(signIn.authorization.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(signIn.landed.href, protectedPage.href, 'back on the page the person asked for');
    assert.equal(signIn.status, 200, signIn.body);
    const seen = variables(signIn.body);
    const sub = await veridSubject(server);
    assert.equal(seen.REMOTE_USER, sub);
    assert.equal(seen.OIDC_CLAIM_sub, sub);
    assert.equal(seen.OIDC_CLAIM_given_name, 'Aoife');
    assert.equal(seen.OIDC_CLAIM_family_name, 'Byrne');
    assert.equal(seen.OIDC_CLAIM_iss, server.baseUrl);
    const again = await browser.request(protectedPage);
    assert.equal(again.status, 200, 'the Apache session keeps the person signed in');
    assert.equal(variables(await again.text()).REMOTE_USER, sub);

    const logout = new URL('/protected/redirect_uri', app);
    logout.searchParams.set('logout', `${app}/logged-out.html`);
    const signOut = await signOutThroughRelyingParty(browser, logout, server.baseUrl);
    assert.equal(signOut.landed.href, `${app}/logged-out.html`);
    assert.equal(signOut.status, 200, signOut.body);
    await assertVeridAsksToVerifyAgain(browser, protectedPage);
  });
});
