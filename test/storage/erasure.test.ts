import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { face } from '../helpers/fixtures.ts';
import { verid } from '../helpers/cli.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const DAY = 86_400_000;
const TABLES = [
  'verification_sessions', 'verification_events', 'session_images', 'identities', 'liveness_challenges', 'liveness_frames', 'webhook_outbox', 'jobs',
] as const;

for (const dialect of ['sqlite', ...(postgresUrl() ? ['postgres'] as const : [])] as const) {
  describe(`retention and deletion leave nothing personal in the raw tables (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(async () => {
      await server.close();
      await closeEngines();
    });

    /** Every row of every table that holds session or identity data, blobs as hex: what a dump shows. */
    async function dump(): Promise<string> {
      const rows: unknown[] = [];
      for (const table of TABLES) rows.push(...await server.app.database.db.selectFrom(table).selectAll().execute());
      return JSON.stringify(rows, (_key, value) => (value instanceof Uint8Array || (value?.type === 'Buffer') ? Buffer.from(value.data ?? value).toString('hex') : value));
    }

    async function enrol(person: { surname: string; givenNames: string; documentNumber: string; birthDate: string; portrait: string }) {
      const { session, token } = await server.app.verification.start({
        origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
        expectedName: `${person.givenNames} ${person.surname}`,
      });
      const call = (path: string, body?: unknown) => omniCall(server.baseUrl, token, path, body);
      await call('/omni/add/front-id', await generatePassport({
        issuingCountry: 'CZE', surname: person.surname, givenNames: person.givenNames, documentNumber: person.documentNumber,
        birthDate: person.birthDate, expiryDate: '2032-02-02', sex: 'F', portrait: await face(`genuine/${person.portrait}/1.jpg`),
      }));
      await call('/omni/add/face', await face(`genuine/${person.portrait}/2.jpg`));
      const decided = await call('/omni/process/face');
      assert.equal(decided.body.state, 'succeeded', JSON.stringify(decided.body));
      return { interviewId: session.interviewId, token, identityId: (await server.app.verification.find(session.interviewId))!.identityId! };
    }

    test('verid identities delete erases the identity and its sessions\' personal data; the capture token dies', async () => {
      const person = { surname: 'DVORAKOVA', givenNames: 'TEREZA', documentNumber: 'CZ8830127', birthDate: '1991-03-27', portrait: 'london_001' };
      const { interviewId, token, identityId } = await enrol(person);
      const db = server.app.database.db;
      assert.ok((await db.selectFrom('session_images').select('kind').where('session_id', '=', interviewId).execute()).length >= 2, 'control: images were kept');

      assert.deepEqual(await verid(server.config, ['identities', 'delete', identityId]), { identity_id: identityId, erased: true });

      const everything = await dump();
      for (const pii of [person.surname, 'Dvorakova', person.givenNames, 'Tereza', person.documentNumber, person.birthDate, '910327']) {
        assert.ok(!everything.includes(pii), `${pii} is gone`);
      }
      assert.equal((await db.selectFrom('session_images').select('kind').where('session_id', '=', interviewId).execute()).length, 0);
      const session = await db.selectFrom('verification_sessions').selectAll().where('id', '=', interviewId).executeTakeFirstOrThrow();
      assert.deepEqual([session.document_encrypted, session.expected_name_encrypted, session.login_hint_encrypted], [null, null, null], 'not even encrypted');
      assert.ok(session.erased_at, 'the non-PII record stays');
      assert.equal(session.state, 'succeeded');
      const identity = await db.selectFrom('identities').selectAll().where('id', '=', identityId).executeTakeFirstOrThrow();
      assert.equal(identity.face_template_encrypted, null);
      assert.equal(Buffer.from(identity.claims_encrypted).length, 0);
      assert.match(identity.lookup_key, /^erased:/);
      assert.equal(await server.app.core.identities.findClaims(identityId), undefined);
      assert.equal((await omniCall(server.baseUrl, token, '/omni/process/id')).status, 401, 'the capture token no longer works');
      assert.equal((await verid(server.config, ['identities', 'delete', 'no-such-identity']).catch((e: Error) => e)) instanceof Error, true);
    });

    test('the retention sweep erases a decided session\'s media after VERID_RETENTION_MEDIA_DAYS and its record after VERID_RETENTION_SESSION_DAYS', async () => {
      const person = { surname: 'NOVOTNA', givenNames: 'KLARA', documentNumber: 'CZ1174402', birthDate: '1987-11-04', portrait: 'london_002' };
      const { interviewId, identityId } = await enrol(person);
      const db = server.app.database.db;
      assert.deepEqual(await server.app.verification.purgeRetention(Date.now() + 29 * DAY), { sessions: 0, identities: 0, records: 0 }, 'nothing is due yet');
      const media = await server.app.verification.purgeRetention(Date.now() + 31 * DAY);
      assert.ok(media.sessions >= 1);
      const kept = await db.selectFrom('verification_sessions').selectAll().where('id', '=', interviewId).executeTakeFirstOrThrow();
      assert.equal(kept.document_encrypted, null);
      assert.ok(!(await dump()).includes(person.documentNumber));
      assert.ok(await server.app.core.identities.findClaims(identityId), 'the identity lives on (used within 3 years)');

      const later = await server.app.verification.purgeRetention(Date.now() + 366 * DAY);
      assert.ok(later.records >= 1);
      assert.equal(await db.selectFrom('verification_sessions').select('id').where('id', '=', interviewId).executeTakeFirst(), undefined, 'the record is gone');
      assert.equal((await db.selectFrom('verification_events').select('id').where('session_id', '=', interviewId).execute()).length, 0);

      const unused = await server.app.verification.purgeRetention(Date.now() + 3 * 366 * DAY);
      assert.ok(unused.identities >= 1, 'an identity unused for 3 years is erased');
      assert.equal(await server.app.core.identities.findClaims(identityId), undefined);
      assert.ok(!(await dump()).includes(person.surname));
    });
  });
}
