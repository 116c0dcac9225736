import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { DataCipher } from '../../src/security/index.ts';
import { BrokerSubjectRepository, EmployeeRepository } from '../../src/storage/index.ts';
import { contentDigest } from '../../src/verification/content-digest.ts';
import { documentLookupValue, type IdentityClaims } from '../../src/verification/index.ts';
import { Browser } from '../helpers/browser.ts';
import { verid } from '../helpers/cli.ts';
import { face } from '../helpers/fixtures.ts';
import { agree, completeInteraction, openCapturePage, verifyInBrowser } from '../helpers/login-flow.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { authorizationRequest, REDIRECT_URI } from '../helpers/relying-party.ts';
import { createTestDatabaseUrl, postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const KEY_A = 'rekey-test-master-key-A-0123456789abcdef';
const KEY_B = 'rekey-test-master-key-B-0123456789abcdef';
const HOLDER = {
  issuingCountry: 'NLD', surname: 'DE VRIES', givenNames: 'SANNE', documentNumber: 'NX4K71P29',
  birthDate: '1989-06-02', expiryDate: '2031-05-30', sex: 'F' as const,
};
/** Every encrypted column verid writes, by table. */
const ENCRYPTED = {
  oidc_clients: ['secret_encrypted'],
  signing_keys: ['private_jwk_encrypted'],
  identities: ['claims_encrypted', 'face_template_encrypted'],
  verification_sessions: ['login_hint_encrypted', 'expected_name_encrypted', 'document_encrypted'],
  session_images: ['data_encrypted'],
  liveness_frames: ['frames_encrypted'],
  webhook_endpoints: ['secret_encrypted', 'previous_secret_encrypted'],
  broker_subjects: ['subject_encrypted'],
} as const;

type Rekeyed = Array<{ table: string; rekeyed: number; current: number; dropped: number }>;

for (const dialect of ['sqlite', ...(postgresUrl() ? ['postgres'] as const : [])] as const) {
  describe(`master key rotation: VERID_MASTER_KEY_PREVIOUS and verid rekey (${dialect})`, () => {
    let database: { dataDir: string; databaseUrl: string | null };
    let dropDatabase: () => Promise<void> = async () => {};
    let server: TestServer | undefined;
    let port: number | undefined;

    before(async () => {
      const pg = dialect === 'postgres' ? await createTestDatabaseUrl() : undefined;
      database = { dataDir: await mkdtemp(path.join(tmpdir(), 'verid-rekey-')), databaseUrl: pg?.url ?? null };
      if (pg) dropDatabase = pg.drop;
    });
    after(async () => {
      await server?.close();
      await dropDatabase();
      await rm(database.dataDir, { recursive: true, force: true });
      await closeEngines();
    });

    const start = async (masterKey: string, masterKeyPrevious: string | null = null) => {
      await server?.close();
      server = undefined;
      // The same port each time: the issuer, and so the codes and tokens issued, stay valid across restarts.
      server = await startTestServer({ database, port, overrides: { masterKey, masterKeyPrevious } });
      port = Number(new URL(server.baseUrl).port);
      return server;
    };
    const userinfo = (s: TestServer, accessToken: string) =>
      fetch(new URL('/oauth2/userinfo', s.baseUrl), { headers: { authorization: `Bearer ${accessToken}` } });
    const discover = (s: TestServer, clientId: string, secret: string) =>
      oidc.discovery(new URL(s.baseUrl), clientId, secret, oidc.ClientSecretJwt(secret), { execute: [oidc.allowInsecureRequests] });
    const passport = async () => generatePassport({ ...HOLDER, portrait: await face('genuine/london_005/1.jpg') });
    const login = async (s: TestServer, rp: oidc.Configuration, selfie: string) => {
      const request = await authorizationRequest(rp);
      const result = await verifyInBrowser(new Browser(), request.url, { front: await passport(), selfie: await face(selfie) });
      assert.equal(result.processFace?.state, 'succeeded', JSON.stringify(result.processFace));
      return { request, callback: result.callback };
    };
    const redeem = async (rp: oidc.Configuration, code: Awaited<ReturnType<typeof login>>) =>
      oidc.authorizationCodeGrant(rp, code.callback, { pkceCodeVerifier: code.request.verifier, expectedState: code.request.state, expectedNonce: code.request.nonce });

    test('data written under key A stays readable with B and PREVIOUS=A, verid rekey moves all of it to B, then B alone reads everything', async () => {
      // Under key A: a client_secret_jwt relying party, a login (identity enrolled, session with images and scores, OIDC artefacts, signing keys).
      let s = await start(KEY_A);
      const registered = await registerClient(s.app.clients, {
        name: 'Rekey RP', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_jwt',
      }, async () => {});
      const secret = registered.clientSecret!;
      // A webhook endpoint whose secret was rotated: both secrets are ciphertexts under A.
      await s.app.core.webhookDelivery.endpoints.create({ id: 'ep_rekey', clientId: registered.clientId, url: 'https://hooks.example.test/x', eventTypes: [], secret: 'whsec_old' });
      await s.app.core.webhookDelivery.endpoints.rotateSecret('ep_rekey', 'whsec_new', Date.now() + 3_600_000);
      let rp = await discover(s, registered.clientId, secret);
      const tokens = await redeem(rp, await login(s, rp, 'genuine/london_005/2.jpg'));
      const sub = tokens.claims()!.sub;
      // A second login verified under A, whose browser continues after the restart (cookies, CSRF token, interaction under A).
      const browser = new Browser();
      const pending = { request: await authorizationRequest(rp), callback: new URL(REDIRECT_URI) };
      const page = await openCapturePage(browser, pending.request.url);
      await agree(s.baseUrl, page.token);
      await omniCall(s.baseUrl, page.token, '/omni/add/front-id', await passport());
      await omniCall(s.baseUrl, page.token, '/omni/add/face', await face('genuine/london_005/2.jpg'));
      await omniCall(s.baseUrl, page.token, '/omni/process/id');
      assert.equal((await omniCall(s.baseUrl, page.token, '/omni/process/face')).body.state, 'succeeded');
      const claims = await s.app.core.identities.findClaims(sub);
      const interviewId = claims!.interviewId;
      // A liveness challenge of that session: its subject key and selfie digest are keyed with A; one frame digest too.
      const cipherA = new DataCipher(KEY_A);
      const selfie = (await s.app.core.sessions.loadImage(interviewId, 'face'))!.data;
      const documentKey = (cipher: DataCipher) => cipher.blindIndex(documentLookupValue(HOLDER.issuingCountry, 'passport', HOLDER.documentNumber), 'document');
      // The client is a demo client: its identities have demo lookup keys (docs/security.md, "Demo and production stay apart").
      const identityKey = (cipher: DataCipher) => cipher.blindIndex(documentLookupValue(HOLDER.issuingCountry, 'passport', HOLDER.documentNumber), 'document-demo');
      await s.app.database.db.insertInto('liveness_challenges').values({
        id: 'rekey-challenge', session_id: interviewId, steps: '["blink","turn_left","blink"]', issued_at: Date.now(), expires_at: Date.now() + 60_000,
        completed_at: Date.now(), status: 'passed', result: JSON.stringify({ reasons: [], livenessScore: 0.99, selfieDigest: contentDigest({ blindIndex: (v, p) => cipherA.blindIndex(v, p) }, selfie, 'selfie') }),
        frames_encrypted: null, revealed: 3, step_revealed_at: Date.now(), subject_key: `document:${documentKey(cipherA)}`,
      }).execute();
      await s.app.database.db.insertInto('liveness_frame_digests').values({ digest: 'digest-under-a', challenge_id: 'rekey-challenge', created_at: Date.now(), key_id: cipherA.keyId }).execute();
      // An Entra user bound to the identity (Entra EAM): found by a keyed hash under A.
      await new BrokerSubjectRepository(s.app.database.db, cipherA).bind(registered.clientId, 'tenant-a:entra-sub', sub);
      // A SCIM-provisioned employee: found by keyed hashes of its e-mail and userName under A.
      await new EmployeeRepository(s.app.database.db, cipherA).upsert(registered.clientId, 'demo', 'employee-rekey', {
        employeeId: 'E-77', email: 'sanne@example.com', displayName: 'Sanne', phone: null,
        scim: { userName: 'Sanne.Rekey@example.com', externalId: null, givenName: null, familyName: null, active: true },
      });
      await s.close();
      server = undefined;

      // B alone refuses to start on A's data, with one line that says what to do.
      await assert.rejects(startTestServer({ database, port, overrides: { masterKey: KEY_B } }), /set the original as VERID_MASTER_KEY_PREVIOUS and run `verid rekey`/);

      // B with PREVIOUS=A: no downtime, old tokens, codes, the HMAC client's secret and the identity still work.
      s = await start(KEY_B, KEY_A);
      const before = await userinfo(s, tokens.access_token);
      assert.equal(before.status, 200);
      assert.equal((await before.json() as { sub: string }).sub, sub);
      pending.callback = await completeInteraction(browser, s.baseUrl, page);
      assert.ok(pending.callback.searchParams.get('code'), `the browser's sign-in continues: ${pending.callback}`);
      rp = await discover(s, registered.clientId, secret);
      const later = await redeem(rp, pending);
      assert.equal(later.claims()?.sub, sub, 'the code is redeemed under B (client_secret_jwt secret encrypted under A)');
      assert.deepEqual(await s.app.core.identities.findClaims(sub), claims);
      const rotating = new DataCipher(KEY_B, KEY_A);
      assert.equal(await s.app.core.identities.findByLookupKey(rotating.blindIndexes(documentLookupValue(HOLDER.issuingCountry, 'passport', HOLDER.documentNumber), 'document-demo')), sub);

      // rekey: refuses without a previous key, fails clearly with a wrong one, then moves everything (the server keeps running).
      await assert.rejects(verid({ ...s.config, masterKeyPrevious: null }, ['rekey']), (error: { code: number; stderr: string }) =>
        error.code === 2 && /VERID_MASTER_KEY_PREVIOUS is not set/.test(error.stderr));
      await assert.rejects(verid({ ...s.config, masterKeyPrevious: 'not-the-previous-key-0123456789abcdef' }, ['rekey']), (error: { code: number; stderr: string }) =>
        error.code === 2 && /^verid: oidc_clients \(client_id vc_[^)]+\) decrypts under neither VERID_MASTER_KEY nor VERID_MASTER_KEY_PREVIOUS/.test(error.stderr)
        && error.stderr.trim().split('\n').length === 1);
      const first = await verid(s.config, ['rekey']) as Rekeyed;
      const counts = Object.fromEntries(first.map((r) => [r.table, r]));
      assert.deepEqual(first.map((r) => r.table), [
        'oidc_clients', 'verification_sessions', 'session_images', 'liveness_frames', 'liveness_challenges', 'liveness_frame_digests', 'identities', 'oidc_payloads', 'employees', 'broker_subjects', 'webhook_endpoints', 'signing_keys',
      ]);
      assert.equal(counts.broker_subjects!.rekeyed, 1);
      assert.equal(counts.oidc_clients!.rekeyed, 1);
      assert.equal(counts.webhook_endpoints!.rekeyed, 1);
      assert.equal(counts.identities!.rekeyed, 1);
      assert.ok(counts.verification_sessions!.rekeyed >= 2 && counts.session_images!.rekeyed >= 4, JSON.stringify(counts));
      assert.equal(counts.liveness_challenges!.rekeyed, 1);
      assert.equal(counts.liveness_frame_digests!.dropped, 1);
      assert.ok(counts.oidc_payloads!.rekeyed >= 3, JSON.stringify(counts.oidc_payloads));
      assert.ok(counts.signing_keys!.rekeyed >= 2);
      assert.ok(!JSON.stringify(first).includes(HOLDER.documentNumber));
      const second = await verid(s.config, ['rekey']) as Rekeyed;
      assert.deepEqual(second.filter((r) => r.rekeyed + r.dropped > 0), [], 'a second run has nothing left to do');
      assert.equal((await userinfo(s, tokens.access_token)).status, 200, 'the running server reads the rekeyed rows');

      // B alone: everything is readable, tokens from before still work, the document still finds its identity.
      s = await start(KEY_B);
      assert.deepEqual(await s.app.core.webhookDelivery.endpoints.signingSecrets('ep_rekey', Date.now()), ['whsec_new', 'whsec_old']);
      for (const token of [tokens.access_token, later.access_token]) {
        const response = await userinfo(s, token);
        assert.equal(response.status, 200);
        assert.equal((await response.json() as { given_name: string }).given_name, 'Sanne');
      }
      rp = await discover(s, registered.clientId, secret);
      const again = await redeem(rp, await login(s, rp, 'genuine/london_005/2.jpg'));
      assert.equal(again.claims()?.sub, sub, 'the same document is the same identity');
      assert.ok((await s.app.core.sessions.loadImage(interviewId, 'face'))!.data.equals(selfie));
      const cipherB = new DataCipher(KEY_B);
      assert.equal(await new BrokerSubjectRepository(s.app.database.db, cipherB).findIdentity(registered.clientId, 'tenant-a:entra-sub'), sub, 'the binding is found under B alone');
      const employees = new EmployeeRepository(s.app.database.db, cipherB);
      assert.equal((await employees.find(registered.clientId, { email: 'SANNE@example.com' }))?.id, 'employee-rekey', 'the e-mail index is B\'s');
      const indexed = await s.app.database.db.selectFrom('employees').select('user_name_index').where('id', '=', 'employee-rekey').executeTakeFirstOrThrow();
      assert.equal(indexed.user_name_index, cipherB.blindIndex('sanne.rekey@example.com', 'employee-user-name'), 'the userName index is B\'s');
      assert.deepEqual((await employees.findByUserName(registered.clientId, 'sanne.rekey@EXAMPLE.com')).map((e) => e.id), ['employee-rekey']);
      const challenge = await s.app.database.db.selectFrom('liveness_challenges').selectAll().where('id', '=', 'rekey-challenge').executeTakeFirstOrThrow();
      assert.equal(challenge.subject_key, `document:${documentKey(cipherB)}`);
      assert.equal(JSON.parse(challenge.result!).selfieDigest, contentDigest({ blindIndex: (v, p) => cipherB.blindIndex(v, p) }, selfie, 'selfie'));

      // The raw tables: every ciphertext is under B, nothing opens with A, no lookup key is A's.
      const db = s.app.database.db;
      let envelopes = 0;
      for (const [table, columns] of Object.entries(ENCRYPTED)) {
        for (const row of await db.selectFrom(table as keyof typeof ENCRYPTED).selectAll().execute() as Array<Record<string, unknown>>) {
          for (const column of columns) {
            const value = row[column] as Uint8Array | null;
            if (!value || value.length === 0) continue;
            envelopes += 1;
            assert.ok(cipherB.isCurrent(value), `${table}.${column} is under B`);
            assert.throws(() => cipherA.decrypt(value, 'any'), /VERID_MASTER_KEY is not the key/);
          }
        }
      }
      assert.ok(envelopes >= 10, `${envelopes} ciphertexts checked`);
      for (const row of await db.selectFrom('oidc_payloads').select('payload').execute()) assert.ok(cipherB.isCurrent(Buffer.from(row.payload, 'base64')));
      const identity = await db.selectFrom('identities').select('lookup_key').where('id', '=', sub).executeTakeFirstOrThrow();
      assert.equal(identity.lookup_key, identityKey(cipherB));
      assert.deepEqual(await db.selectFrom('liveness_frame_digests').select('key_id').where('key_id', '!=', cipherB.keyId).execute(), []);
      assert.equal((await s.app.core.identities.findClaims(sub) as IdentityClaims).document.number, HOLDER.documentNumber);
    });
  });
}
