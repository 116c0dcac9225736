import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Browser } from '../helpers/browser.ts';
import { verid } from '../helpers/cli.ts';
import { face } from '../helpers/fixtures.ts';
import { signOutAtVerid, verifyInBrowser } from '../helpers/login-flow.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

/** Why a test is skipped when a Debian package it drives is missing (false: it is there). */
export function missingPackage(check: () => boolean, packages: string): string | false {
  return check() ? false : `${packages.split(' ')[0]} not installed: apt install ${packages}`;
}

/** True when the command runs and exits 0. */
export function commandSucceeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export interface RelyingPartyProgram {
  /** What the program printed (stdout and stderr), for assertions and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs a relying party program and waits until `readyUrl` answers over HTTP. */
export async function startProgram(command: string, args: string[], options: { env?: Record<string, string>; readyUrl: URL; log?: () => string }): Promise<RelyingPartyProgram> {
  const child: ChildProcess = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += String(chunk); });
  child.stderr!.on('data', (chunk) => { output += String(chunk); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const report = () => `${command} ${output}${options.log?.() ?? ''}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) assert.fail(`${command} exited with ${child.exitCode}: ${report()}`);
    if (await fetch(options.readyUrl, { redirect: 'manual' }).then(() => true, () => false)) break;
    if (attempt > 150) assert.fail(`${command} did not answer at ${options.readyUrl}: ${report()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    output: report,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const HOLDER = {
  issuingCountry: 'IRL', surname: 'BYRNE', givenNames: 'AOIFE', documentNumber: 'PB7264018',
  birthDate: '1992-03-08', expiryDate: '2032-06-30', sex: 'F' as const,
};

/** A demo verid and one client registered for the RP with the CLI, as an administrator does. */
export async function veridWithClient(redirectUri: string, postLogoutRedirectUri: string) {
  const server = await startTestServer();
  const client = await verid(server.config, [
    'clients', 'create', '--name', 'Relying party under test', '--environment', 'demo',
    '--redirect-uri', redirectUri, '--post-logout-redirect-uri', postLogoutRedirectUri,
  ]) as { client_id: string; client_secret: string };
  return { server, client };
}

/** The verified holder's document and a different photo of them. */
export async function holderImages() {
  const front = await generatePassport({ ...HOLDER, portrait: await face('genuine/london_002/1.jpg') });
  return { front, selfie: await face('genuine/london_002/2.jpg') };
}

/**
 * A person signing in to the RP: opens `start` on the RP, which sends the browser to verid; verifies
 * there with the images; follows verid's redirect back into the RP and returns the page it lands on.
 */
export async function signInThroughRelyingParty(browser: Browser, start: URL, images: { front: Buffer; selfie: Buffer }) {
  const toVerid = await browser.request(start);
  assert.equal(toVerid.status, 302, `the RP sends the browser to verid: ${await toVerid.text()}`);
  const authorization = new URL(toVerid.headers.get('location')!, start);
  const capture = await verifyInBrowser(browser, authorization, images);
  assert.equal(capture.processFace?.state, 'succeeded', JSON.stringify(capture.processFace));
  assert.equal(capture.callback.origin, start.origin, `verid sends the browser back to the RP: ${capture.callback}`);
  const { response, url } = await browser.follow(capture.callback);
  return { authorization, landed: url, status: response.status, body: await response.text() };
}

/** The `sub` verid asserts for the one verification a test ran: the identity the session verified. */
export async function veridSubject(server: TestServer): Promise<string> {
  const sessions = await server.app.database.db.selectFrom('verification_sessions').select(['identity_id', 'state']).execute();
  const verified = sessions.filter((s) => s.state === 'succeeded');
  assert.equal(verified.length, 1, JSON.stringify(sessions.map((s) => s.state)));
  assert.ok(verified[0]!.identity_id);
  return verified[0]!.identity_id;
}

/**
 * The RP's logout: opens `logout` on the RP, which sends the browser to verid's end_session;
 * confirms there; follows verid's redirect back to the RP and returns the page it lands on.
 */
export async function signOutThroughRelyingParty(browser: Browser, logout: URL, veridBaseUrl: string) {
  const { url: endSession } = await browser.follow(logout);
  assert.equal(endSession.origin + endSession.pathname, `${veridBaseUrl}/oauth2/end_session`, 'the RP sends the browser to verid to sign out');
  assert.ok(endSession.searchParams.get('id_token_hint'), 'with the ID token as id_token_hint');
  const back = await signOutAtVerid(browser, endSession);
  assert.equal(back.origin, logout.origin, `verid sends the browser back to the RP: ${back}`);
  const { response, url } = await browser.follow(back);
  return { endSession, landed: url, status: response.status, body: await response.text() };
}

/** After logout the verid session is gone too: signing in to the RP again asks for a new verification. */
export async function assertVeridAsksToVerifyAgain(browser: Browser, start: URL): Promise<void> {
  const toVerid = await browser.request(start);
  assert.equal(toVerid.status, 302);
  const { url } = await browser.follow(new URL(toVerid.headers.get('location')!, start));
  assert.match(url.pathname, /^\/interaction\//, `expected verid's capture page, got ${url}`);
}
