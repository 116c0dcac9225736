import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser } from '../helpers/browser.ts';
import { closeEngines, freePort, type TestServer } from '../helpers/test-server.ts';
import {
  assertVeridAsksToVerifyAgain, holderImages, signInThroughRelyingParty, signOutThroughRelyingParty,
  startProgram, veridSubject, veridWithClient, type RelyingPartyProgram,
} from './rp-harness.ts';

/** How to run one RP program; it reads VERID_ISSUER, CLIENT_ID, CLIENT_SECRET and PORT. */
export interface ProgramUnderTest {
  title: string;
  skip: string | false;
  /** Prepares (e.g. compiles) the program and returns its command line. */
  command(): Promise<[string, string[]]>;
  cleanup?(): Promise<void>;
}

/**
 * The login and logout every RP program in test/rp/ offers (/login, /callback, /me, /logout,
 * /logged-out), driven through a real verid with a real verification.
 */
export function describeProgramRelyingParty(program: ProgramUnderTest): void {
  describe(program.title, { skip: program.skip }, () => {
    let server: TestServer;
    let rp: RelyingPartyProgram;
    let base: string;

    before(async () => {
      base = `http://127.0.0.1:${await freePort()}`;
      const [command, args] = await program.command();
      const started = await veridWithClient(`${base}/callback`, `${base}/logged-out`);
      server = started.server;
      rp = await startProgram(command, args, {
        env: { VERID_ISSUER: server.baseUrl, CLIENT_ID: started.client.client_id, CLIENT_SECRET: started.client.client_secret, PORT: new URL(base).port },
        readyUrl: new URL('/me', base),
      });
    });

    after(async () => {
      await rp?.stop();
      await server?.close();
      await closeEngines();
      await program.cleanup?.();
    });

    test('signs in with a verification (code flow with PKCE, ID token checked by the library) and signs out at verid', async () => {
      const browser = new Browser();
      const signIn = await signInThroughRelyingParty(browser, new URL('/login', base), await holderImages());
      assert.equal(signIn.authorization.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(signIn.status, 200, signIn.body);
      const { claims, userinfo } = JSON.parse(signIn.body) as { claims: Record<string, unknown>; userinfo: Record<string, unknown> };
      assert.equal(claims.sub, await veridSubject(server));
      assert.equal(claims.iss, server.baseUrl);
      assert.equal(claims.given_name, 'Aoife');
      assert.equal(claims.family_name, 'Byrne');
      assert.deepEqual(claims.amr, ['face']);
      assert.equal(userinfo.sub, claims.sub);
      assert.equal(userinfo.family_name, 'Byrne');
      assert.match(rp.output(), /verified claims: .*"sub"/);
      assert.equal((await browser.request(new URL('/me', base))).status, 200, 'the RP keeps the person signed in');

      const signOut = await signOutThroughRelyingParty(browser, new URL('/logout', base), server.baseUrl);
      assert.equal(signOut.status, 200, signOut.body);
      assert.deepEqual(JSON.parse(signOut.body), { signed_out: true });
      assert.equal((await browser.request(new URL('/me', base))).status, 401, 'signed out of the RP');
      await assertVeridAsksToVerifyAgain(browser, new URL('/login', base));
    });
  });
}
