import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataCipher, hashSecret } from '../../src/security/index.ts';
import {
  BrokerSubjectRepository, ChallengeRepository, ClientRepository, EmployeeRepository, GroupRepository, JobRepository, IdentityRepository, migrateToLatest, OidcPayloadRepository, openDatabase, ReadCache, RetentionRepository, SessionRepository, SigningKeyRepository,
  type DatabaseHandle,
} from '../../src/storage/index.ts';
import type { IdentityClaims, PublicEventPayload } from '../../src/verification/index.ts';
import { createTestDatabaseUrl, postgresUrl } from '../helpers/test-database.ts';

const cipher = new DataCipher('contract-test-master-key-0123456789abcdef');

interface Backend {
  name: 'sqlite' | 'postgres';
  /** `other()`: a second connection to the same database, as another instance or the CLI has. */
  open(): Promise<{ handle: DatabaseHandle; other(): DatabaseHandle; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [{
  name: 'sqlite',
  async open() {
    const dir = await mkdtemp(path.join(tmpdir(), 'verid-contract-'));
    const handle = openDatabase({ databaseUrl: null, dataDir: dir });
    return {
      handle, other: () => openDatabase({ databaseUrl: null, dataDir: dir }),
      cleanup: async () => { await handle.close(); await rm(dir, { recursive: true, force: true }); },
    };
  },
}];
if (postgresUrl()) {
  backends.push({
    name: 'postgres',
    async open() {
      const db = await createTestDatabaseUrl();
      const handle = openDatabase({ databaseUrl: db.url, dataDir: '' });
      return { handle, other: () => openDatabase({ databaseUrl: db.url, dataDir: '' }), cleanup: async () => { await handle.close(); await db.drop(); } };
    },
  });
}

const claims: IdentityClaims = {
  givenName: 'Ada', familyName: 'Lovelace', birthdate: '1815-12-10', gender: 'female',
  document: { type: 'passport', issuingCountry: 'GBR', number: 'AB1234567', expiryDate: '2030-01-01' },
  verifiedAt: 1, interviewId: 'i1', checks: [],
};

for (const backend of backends) {
  describe(`storage contract on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let other: () => DatabaseHandle;
    let cleanup: () => Promise<void>;

    before(async () => {
      ({ handle, other, cleanup } = await backend.open());
      await migrateToLatest(handle.db, handle.dialect);
    });
    after(() => cleanup());

    test('migrations are idempotent', async () => {
      const again = await migrateToLatest(handle.db, handle.dialect);
      assert.deepEqual(again.results, []);
    });

    test('oidc payloads: upsert, find by id/uid/user code, consume, expiry, revoke by grant', async () => {
      const repo = new OidcPayloadRepository(handle.db, cipher);
      await repo.upsert('AuthorizationCode', 'c1', { grantId: 'g1', uid: 'u1', kind: 'AuthorizationCode' }, Date.now() + 60_000);
      await repo.upsert('AccessToken', 'a1', { grantId: 'g1' }, Date.now() + 60_000);
      await repo.upsert('DeviceCode', 'd1', { userCode: 'ABCD' }, Date.now() + 60_000);
      await repo.upsert('Session', 'old', { x: 1 }, Date.now() - 1);
      const raw = await handle.db.selectFrom('oidc_payloads').selectAll().execute();
      const dump = JSON.stringify(raw);
      for (const secret of ['c1', 'a1', 'g1', 'u1', 'ABCD']) {
        assert.ok(!raw.some((row) => row.id === secret || row.uid === secret || row.grant_id === secret || row.user_code === secret), secret);
      }
      assert.ok(!dump.includes('kind'), 'payloads are encrypted');
      assert.deepEqual((await repo.find('AuthorizationCode', 'id', 'c1'))?.payload.uid, 'u1');
      assert.ok(await repo.find('AuthorizationCode', 'uid', 'u1'));
      assert.ok(await repo.find('DeviceCode', 'user_code', 'ABCD'));
      assert.equal(await repo.find('Session', 'id', 'old'), undefined, 'expired rows are not found');
      assert.equal(await repo.find('AccessToken', 'id', 'c1'), undefined, 'models are separate');
      await repo.consume('AuthorizationCode', 'c1');
      assert.ok((await repo.find('AuthorizationCode', 'id', 'c1'))?.consumedAt);
      await repo.upsert('AuthorizationCode', 'c1', { grantId: 'g1', changed: true }, Date.now() + 60_000);
      assert.equal((await repo.find('AuthorizationCode', 'id', 'c1'))?.payload.changed, true);
      await repo.revokeByGrantId('AccessToken', 'g1');
      assert.equal(await repo.find('AccessToken', 'id', 'a1'), undefined);
      assert.ok(await repo.find('AuthorizationCode', 'id', 'c1'), 'revocation is per model');
      await repo.destroy('AuthorizationCode', 'c1');
      assert.equal(await repo.find('AuthorizationCode', 'id', 'c1'), undefined);
      assert.equal(await repo.purgeExpired(), 1);
    });

    test('oidc payloads: lookups in the same tick share a statement, and each gets its own model\'s row', async () => {
      const repo = new OidcPayloadRepository(handle.db, cipher);
      await repo.upsert('RefreshToken', 'same-value', { kind: 'RefreshToken' }, Date.now() + 60_000);
      await repo.upsert('AccessToken', 'other-value', { kind: 'AccessToken' }, Date.now() + 60_000);
      await repo.upsert('ClientCredentials', 'other-value', { kind: 'ClientCredentials' }, Date.now() + 60_000);
      await repo.upsert('Interaction', 'i-by-uid', { uid: 'the-uid' }, Date.now() + 60_000);
      const found = await Promise.all([
        repo.find('AccessToken', 'id', 'same-value'), repo.find('ClientCredentials', 'id', 'same-value'), repo.find('RefreshToken', 'id', 'same-value'),
        repo.find('AccessToken', 'id', 'other-value'), repo.find('ClientCredentials', 'id', 'other-value'), repo.find('Interaction', 'uid', 'the-uid'),
        repo.find('RefreshToken', 'id', 'other-value'),
      ]);
      assert.deepEqual(found.map((f) => f?.payload.kind ?? f?.payload.uid ?? null),
        [null, null, 'RefreshToken', 'AccessToken', 'ClientCredentials', 'the-uid', null]);
    });

    test('read cache: clients, grants and claims are reused only while no change was committed, by any connection', async () => {
      const cache = new ReadCache();
      const clients = new ClientRepository(handle.db, cipher, cache);
      const identities = new IdentityRepository(handle.db, cipher, cache);
      const payloads = new OidcPayloadRepository(handle.db, cipher, cache);
      await clients.create({ clientId: 'rc', name: 'RC', environment: 'demo', metadata: { v: 1 }, secretHash: hashSecret('old'), secretForHmac: null });
      const identityId = await identities.enroll(['rc-lookup'], claims, null);
      await payloads.upsert('Grant', 'rc-g', { scope: 'openid' }, Date.now() + 60_000);
      await payloads.upsert('AccessToken', 'rc-at', { grantId: 'rc-g' }, Date.now() + 60_000);
      const epoch = async () => Number((await handle.db.selectFrom('read_epoch').select('value').executeTakeFirstOrThrow()).value);
      // One request of the userinfo endpoint: the token's lookup (always read), then what it leads to.
      const request = () => cache.run(async () => {
        const token = await payloads.find('AccessToken', 'id', 'rc-at');
        const [client, grant, identity] = [await clients.find('rc'), await payloads.find('Grant', 'id', 'rc-g'), await identities.findClaims(identityId)];
        return { token, client, grant, identity };
      });

      const first = await request();
      assert.equal(first.client?.secretHash, hashSecret('old'));
      const { hits } = cache.stats;
      const second = await request();
      assert.equal(cache.stats.hits - hits, 3, 'the second request reads only the token');
      assert.deepEqual(second, first);
      second.grant!.payload.scope = 'changed by a caller';
      assert.equal((await request()).grant?.payload.scope, 'openid', 'callers get copies');
      // Outside a request nothing is looked up in memory.
      const outside = cache.stats.hits;
      await clients.find('rc');
      assert.equal(cache.stats.hits, outside);

      // A request that changes a grant reads its own change back, not the entry it had.
      const ownWrite = await cache.run(async () => {
        await payloads.find('AccessToken', 'id', 'rc-at');
        assert.equal((await payloads.find('Grant', 'id', 'rc-g'))?.payload.scope, 'openid');
        await payloads.upsert('Grant', 'rc-g', { scope: 'openid email' }, Date.now() + 60_000);
        return (await payloads.find('Grant', 'id', 'rc-g'))?.payload.scope;
      });
      assert.equal(ownWrite, 'openid email');
      await payloads.upsert('Grant', 'rc-g', { scope: 'openid' }, Date.now() + 60_000);

      // Writes that change nothing kept leave the counter alone (tokens are consumed, created all the time).
      const before = await epoch();
      await payloads.consume('AccessToken', 'rc-at');
      await payloads.upsert('RefreshToken', 'rc-rt', { grantId: 'rc-g' }, Date.now() + 60_000);
      assert.equal(await epoch(), before);

      // Another instance (a second connection) rotates the secret, erases the identity, revokes the grant:
      // the next request of this one sees each change at once.
      const second_ = other();
      try {
        await new ClientRepository(second_.db, cipher).rotateSecret('rc', hashSecret('new'), null, 0);
        assert.equal((await request()).client?.secretHash, hashSecret('new'));
        await new RetentionRepository(second_.db).eraseIdentity(identityId);
        assert.equal((await request()).identity, undefined);
        await new OidcPayloadRepository(second_.db, cipher).upsert('Grant', 'rc-g', { scope: 'openid profile' }, Date.now() + 60_000);
        assert.equal((await request()).grant?.payload.scope, 'openid profile');
        await new OidcPayloadRepository(second_.db, cipher).destroy('Grant', 'rc-g');
        assert.equal((await request()).grant, undefined);
        await new ClientRepository(second_.db, cipher).delete('rc');
        assert.equal((await request()).client, undefined);
      } finally {
        await second_.close();
      }
      assert.ok(await epoch() >= before + 5, 'each change raised the counter');
    });

    test('clients: secrets are stored as hashes; HMAC secrets encrypted; rotation keeps the previous hash', async () => {
      const repo = new ClientRepository(handle.db, cipher);
      await repo.create({ clientId: 'c-basic', name: 'A', environment: 'demo', metadata: { redirect_uris: ['https://a/cb'] }, secretHash: hashSecret('s1'), secretForHmac: null });
      await repo.create({ clientId: 'c-jwt', name: 'B', environment: 'production', metadata: {}, secretHash: hashSecret('s2'), secretForHmac: 's2' });
      const basic = await repo.find('c-basic');
      assert.equal(basic?.secretHash, hashSecret('s1'));
      assert.deepEqual(basic?.metadata, { redirect_uris: ['https://a/cb'] });
      assert.equal(await repo.findHmacSecret('c-basic'), null);
      assert.equal(await repo.findHmacSecret('c-jwt'), 's2');
      const raw = await handle.db.selectFrom('oidc_clients').select('secret_encrypted').where('client_id', '=', 'c-jwt').executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(raw.secret_encrypted!).includes(Buffer.from('s2')));
      const now = Date.now();
      assert.equal(await repo.rotateSecret('c-basic', hashSecret('s3'), null, now + 60_000, now), true);
      const rotated = await repo.find('c-basic');
      assert.equal(rotated?.secretHash, hashSecret('s3'));
      assert.deepEqual(rotated?.previousSecrets, [{ hash: hashSecret('s1'), expiresAt: now + 60_000 }]);
      // A second rotation inside the grace period keeps the first secret until its own expiry.
      assert.equal(await repo.rotateSecret('c-basic', hashSecret('s4'), null, now + 120_000, now + 1000), true);
      assert.deepEqual((await repo.find('c-basic'))?.previousSecrets,
        [{ hash: hashSecret('s3'), expiresAt: now + 120_000 }, { hash: hashSecret('s1'), expiresAt: now + 60_000 }]);
      // Expired ones are dropped at the next rotation.
      assert.equal(await repo.rotateSecret('c-basic', hashSecret('s5'), null, now + 200_000, now + 90_000), true);
      assert.deepEqual((await repo.find('c-basic'))?.previousSecrets.map((p) => p.hash), [hashSecret('s4'), hashSecret('s3')]);
      assert.equal(await repo.rotateSecret('missing', 'h', null, 1), false);
      assert.deepEqual((await repo.list()).map((c) => c.clientId), ['c-basic', 'c-jwt']);
      assert.equal(await repo.delete('c-jwt'), true);
      assert.equal(await repo.delete('c-jwt'), false);
    });

    test('signing keys: private parts encrypted, promotion and retirement in one step', async () => {
      const repo = new SigningKeyRepository(handle.db, cipher);
      await repo.insert({ kid: 'k1', alg: 'ES256', state: 'current', publicJwk: { kid: 'k1' }, privateJwk: { kid: 'k1', d: 'secret-d' } });
      await repo.insert({ kid: 'k2', alg: 'ES256', state: 'next', publicJwk: { kid: 'k2' }, privateJwk: { kid: 'k2', d: 'secret-e' } });
      const raw = await handle.db.selectFrom('signing_keys').select('private_jwk_encrypted').where('kid', '=', 'k1').executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(raw.private_jwk_encrypted).includes(Buffer.from('secret-d')));
      assert.equal((await repo.list()).find((k) => k.kid === 'k1')?.privateJwk.d, 'secret-d');
      await repo.promote(['k2'], [{ kid: 'k1', removeAfter: Date.now() - 1 }]);
      const keys = await repo.list();
      assert.equal(keys.find((k) => k.kid === 'k2')?.state, 'current');
      assert.equal(keys.find((k) => k.kid === 'k1')?.state, 'retired');
      assert.equal(await repo.deleteRetiredBefore(), 1);
      assert.deepEqual((await repo.list()).map((k) => k.kid), ['k2']);
    });

    test('sessions: a link to deliver is queued with the session, its token kept encrypted until the token changes', async () => {
      const repo = new SessionRepository(handle.db, cipher);
      const created = await repo.create({
        interviewId: 'ld1', interviewCode: 'LNKDLV1', tokenHash: hashSecret('link-token-secret'), origin: 'omni', mode: 'enroll', environment: 'demo',
        clientId: 'c', interactionUid: null, externalId: null, loginHint: null, notification: 'EMAIL', language: 'es',
        candidate: { email: 'ld@example.com' }, linkDelivery: { token: 'link-token-secret', maxAttempts: 4 }, expiresAt: Date.now() + 60_000,
      }, { type: 'session.created', data: { origin: 'omni', mode: 'enroll', environment: 'demo' } });
      assert.deepEqual([created?.language, created?.delivery], ['es', { channel: 'EMAIL', status: 'queued', attempts: 0 }]);
      const jobs = await handle.db.selectFrom('jobs').selectAll().where('kind', '=', 'link.deliver').where('unique_key', '=', 'link.deliver:ld1').execute();
      assert.deepEqual(jobs.map((j) => [JSON.parse(j.payload), j.max_attempts, j.status]), [[{ interviewId: 'ld1' }, 4, 'queued']]);
      assert.equal(await repo.loadLinkToken('ld1'), 'link-token-secret');
      const raw = await handle.db.selectFrom('verification_sessions').select('link_token_encrypted').where('id', '=', 'ld1').executeTakeFirstOrThrow();
      assert.ok(raw.link_token_encrypted && !Buffer.from(raw.link_token_encrypted).includes(Buffer.from('link-token-secret')), 'stored encrypted');
      assert.equal(await repo.requeueLinkDelivery('ld1', 4, { type: 'link.queued', data: { channel: 'EMAIL', by: 'resend' } }), true);
      assert.equal((await handle.db.selectFrom('jobs').select('id').where('unique_key', '=', 'link.deliver:ld1').execute()).length, 1, 'one queued per session');
      await repo.recordLinkAttempt('ld1', 'sent', 1, [{ type: 'link.sent', data: { channel: 'EMAIL', attempt: 1 } }]);
      assert.deepEqual((await repo.findById('ld1'))?.delivery, { channel: 'EMAIL', status: 'sent', attempts: 1 });
      await repo.replaceTokenHash('ld1', hashSecret('another'));
      assert.equal(await repo.loadLinkToken('ld1'), null, 'a revoked token is not sent again');
      assert.equal(await repo.requeueLinkDelivery('ld1', 4, { type: 'link.queued', data: { channel: 'EMAIL', by: 'resend' } }), false);
      await handle.db.deleteFrom('jobs').where('kind', '=', 'link.deliver').execute(); // the jobs contract below counts every job
    });

    test('sessions: compare-and-set transitions write the event and the outbox row atomically', async () => {
      const repo = new SessionRepository(handle.db, cipher);
      const session = await repo.create({
        interviewId: 's1', interviewCode: 'ABC234', tokenHash: 'th1', origin: 'oidc', mode: 'enroll', environment: 'demo',
        clientId: 'c', interactionUid: 'u9', externalId: null, loginHint: 'ada@example.com', expectedName: 'Ada Lovelace', expiresAt: Date.now() + 1000,
      }, { type: 'session.created', data: { origin: 'oidc', mode: 'enroll', environment: 'demo' } });
      assert.equal(session?.state, 'created');
      const sameCode = await repo.create({
        interviewId: 's1b', interviewCode: 'ABC234', tokenHash: 'th1b', origin: 'oidc', mode: 'enroll', environment: 'demo',
        clientId: 'c', interactionUid: null, externalId: null, loginHint: null, expiresAt: Date.now() + 1000,
      }, { type: 'session.created', data: { origin: 'oidc', mode: 'enroll', environment: 'demo' } });
      assert.equal(sameCode, undefined, 'a taken interview code is reported, not thrown');
      assert.equal(await repo.findById('s1b'), undefined, 'and nothing of it was written');
      assert.equal((await repo.findByTokenHash('th1'))?.interviewId, 's1');
      assert.equal((await repo.findByInteractionUid('u9'))?.interviewId, 's1');
      assert.equal(await repo.loadExpectedName('s1'), 'Ada Lovelace');
      const raw = await handle.db.selectFrom('verification_sessions').select('expected_name_encrypted').where('id', '=', 's1').executeTakeFirstOrThrow();
      assert.ok(raw.expected_name_encrypted && !Buffer.from(raw.expected_name_encrypted).includes(Buffer.from('Lovelace')), 'stored encrypted');
      assert.equal(await repo.transition('s1', 'created', 'id_captured', { type: 'image.added', data: { kind: 'front', contentType: 'image/jpeg', bytes: 9 } }), true);
      assert.equal(await repo.transition('s1', 'created', 'face_captured', { type: 'processing.aborted', data: {} }), false, 'stale from-state loses');
      const payload: PublicEventPayload = { interviewId: 's1', externalId: null, clientId: 'c', origin: 'oidc', environment: 'demo', state: 'failed', reasons: ['mrz_not_found'] };
      assert.equal(await repo.transition('s1', 'id_captured', 'failed', { type: 'session.failed', data: { reasons: ['mrz_not_found'] } },
        { reasons: ['mrz_not_found'], completedAt: 5 }, { eventType: 'session.failed', clientId: 'c', payload }), true);
      const failed = await repo.findById('s1');
      assert.equal(failed?.state, 'failed');
      assert.deepEqual(failed?.reasons, ['mrz_not_found']);
      const events = await repo.listEvents('s1');
      assert.deepEqual(events.map((e) => [e.type, e.fromState, e.toState]), [
        ['session.created', null, 'created'], ['image.added', 'created', 'id_captured'], ['session.failed', 'id_captured', 'failed'],
      ]);
      const outbox = await handle.db.selectFrom('webhook_outbox').selectAll().execute();
      assert.equal(outbox.length, 1);
      assert.deepEqual(JSON.parse(outbox[0]!.payload), payload);
      assert.deepEqual([outbox[0]!.event_type, outbox[0]!.session_id, outbox[0]!.client_id, outbox[0]!.sequence], ['session.failed', 's1', 'c', 1]);
      assert.equal(await repo.countAttempt('s1', 'document'), 1);
      assert.equal(await repo.countAttempt('s1', 'document'), 2);
      assert.equal(await repo.countAttempt('s1', 'face'), 1);
      assert.equal((await repo.findById('s1'))?.documentAttempts, 2);
      await repo.replaceTokenHash('s1', 'th2');
      assert.equal(await repo.findByTokenHash('th1'), undefined);
    });

    test('sessions: a client lists only its own, newest first, filtered, by keyset cursor; the candidate is encrypted', async () => {
      const repo = new SessionRepository(handle.db, cipher);
      const base = { origin: 'omni' as const, mode: 'enroll' as const, environment: 'demo' as const, interactionUid: null, loginHint: null, expiresAt: Date.now() + 60_000 };
      const created = { type: 'session.created' as const, data: { origin: 'omni' as const, mode: 'enroll' as const, environment: 'demo' as const } };
      for (let i = 0; i < 5; i++) {
        await repo.create({
          ...base, interviewId: `ls${i}`, interviewCode: `LSTC00${i}`, tokenHash: `lth${i}`, clientId: 'lister', externalId: i % 2 ? 'odd' : 'even',
          candidate: i === 0 ? { name: 'Grace Hopper', email: 'grace@example.com' } : null, configurationId: 'onboarding', notification: 'EMAIL',
        }, created);
      }
      await repo.create({ ...base, interviewId: 'other', interviewCode: 'LSTCOTH', tokenHash: 'lthx', clientId: 'someone-else', externalId: 'even' }, created);
      const all = await repo.listForClient('lister', {}, 10);
      assert.equal(all.length, 5);
      assert.ok(all.every((s) => s.clientId === 'lister'));
      const page1 = await repo.listForClient('lister', {}, 2);
      const last = page1.at(-1)!;
      const page2 = await repo.listForClient('lister', {}, 10, { createdAt: last.createdAt, interviewId: last.interviewId });
      assert.deepEqual([...page1, ...page2].map((s) => s.interviewId), all.map((s) => s.interviewId), 'pages neither skip nor repeat');
      assert.deepEqual((await repo.listForClient('lister', { externalId: 'odd' }, 10)).map((s) => s.externalId), ['odd', 'odd']);
      assert.equal((await repo.listForClient('lister', { states: ['succeeded'] }, 10)).length, 0);
      assert.equal((await repo.listForClient('lister', { createdFrom: Date.now() + 1000 }, 10)).length, 0);
      assert.deepEqual(await repo.loadCandidate('ls0'), { name: 'Grace Hopper', email: 'grace@example.com' });
      assert.equal(await repo.loadCandidate('ls1'), null);
      const raw = await handle.db.selectFrom('verification_sessions').select(['candidate_encrypted', 'configuration_id']).where('id', '=', 'ls0').executeTakeFirstOrThrow();
      assert.ok(raw.candidate_encrypted && !Buffer.from(raw.candidate_encrypted).includes(Buffer.from('grace@')), 'stored encrypted');
      assert.equal(raw.configuration_id, 'onboarding');
    });

    test('session images and document data are encrypted at rest', async () => {
      const repo = new SessionRepository(handle.db, cipher);
      await repo.create({
        interviewId: 's2', interviewCode: 'XYZ789', tokenHash: 'th-s2', origin: 'omni', mode: 'enroll', environment: 'demo',
        clientId: null, interactionUid: null, externalId: 'ext', loginHint: null, expiresAt: Date.now() + 1000,
      }, { type: 'session.created', data: { origin: 'omni', mode: 'enroll', environment: 'demo' } });
      const image = Buffer.from('JPEG-BYTES-OF-A-FACE');
      await repo.saveImage('s2', 'face', 'image/jpeg', image);
      await repo.saveImage('s2', 'face', 'image/jpeg', image);
      const raw = await handle.db.selectFrom('session_images').select('data_encrypted').where('session_id', '=', 's2').executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(raw.data_encrypted).includes(image));
      assert.deepEqual((await repo.loadImage('s2', 'face'))?.data, image);
      assert.deepEqual(await repo.listImageKinds('s2'), ['face']);
      const document = { fields: null, mrzValid: false, dataValid: false, items: [], quality: [], reasons: ['mrz_not_found'], retryable: true };
      await repo.saveDocument('s2', document);
      assert.deepEqual(await repo.loadDocument('s2'), document);
    });

    test('identities: the same lookup key enrols the same identity; claims encrypted', async () => {
      const repo = new IdentityRepository(handle.db, cipher);
      const since = Date.now() - 1;
      const first = await repo.enroll(['key-1'], claims, [0.1, 0.2]);
      const second = await repo.enroll(['key-1'], { ...claims, givenName: 'Augusta Ada' }, [0.3, 0.4]);
      assert.equal(first, second);
      const other = await repo.enroll(['key-2'], claims, null);
      assert.notEqual(other, first);
      assert.equal(await repo.findByLookupKey(['key-2']), other);
      assert.deepEqual(await repo.findFaceTemplate(first), [0.3, 0.4]);
      assert.equal(await repo.findFaceTemplate(other), undefined);
      const templates = await repo.listTemplates(since);
      assert.deepEqual(templates.map((t) => [t.identityId, t.template, t.interviewId]), [[first, [0.3, 0.4], 'i1']]);
      assert.deepEqual(await repo.listTemplates(templates[0]!.updatedAt), []);
      assert.equal((await repo.findClaims(first))?.givenName, 'Augusta Ada', 'the latest enrolment\'s claims');
      const raw = await handle.db.selectFrom('identities').select('claims_encrypted').where('id', '=', first).executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(raw.claims_encrypted).includes(Buffer.from('Lovelace')));
    });

    test('broker subjects: found by keyed hash per client, re-bound in place, subject encrypted, unbound when the identity is erased', async () => {
      const repo = new BrokerSubjectRepository(handle.db, cipher);
      const subject = 'tenant-1:entra-sub-1';
      assert.equal(await repo.findIdentity('c1', subject), undefined);
      await repo.bind('c1', subject, 'identity-a');
      assert.equal(await repo.findIdentity('c1', subject), 'identity-a');
      assert.equal(await repo.findIdentity('c2', subject), undefined, 'another client does not see the binding');
      await repo.bind('c1', subject, 'identity-b');
      assert.equal(await repo.findIdentity('c1', subject), 'identity-b');
      const rows = await handle.db.selectFrom('broker_subjects').selectAll().where('client_id', '=', 'c1').execute();
      assert.equal(rows.length, 1, 're-binding updates the row');
      assert.ok(!rows[0]!.subject_index.includes('entra-sub-1'));
      assert.ok(!Buffer.from(rows[0]!.subject_encrypted).includes(Buffer.from('entra-sub-1')));
      await new RetentionRepository(handle.db).eraseIdentity('identity-b');
      assert.equal(await repo.findIdentity('c1', subject), undefined);
    });

    test('SCIM groups: members are the client\'s own employees; displayName unique per client regardless of case; deleting an employee leaves its groups', async () => {
      const employees = new EmployeeRepository(handle.db, cipher);
      const groups = new GroupRepository(handle.db);
      const person = (employeeId: string) => ({ employeeId, email: null, displayName: `Person ${employeeId}`, phone: null });
      const a1 = (await employees.upsert('client-a', 'demo', 'emp-a1', person('a1')))!.record.id;
      const a2 = (await employees.upsert('client-a', 'demo', 'emp-a2', person('a2')))!.record.id;
      const b1 = (await employees.upsert('client-b', 'demo', 'emp-b1', person('b1')))!.record.id;

      const created = await groups.create('client-a', 'g1', { displayName: 'Sales', externalId: 'ext-1' }, [a1, a1]);
      assert.equal(created.kind, 'saved');
      assert.deepEqual(created.kind === 'saved' && created.group.memberIds, [a1]);
      assert.deepEqual(await groups.create('client-a', 'g2', { displayName: 'sales', externalId: null }, []), { kind: 'conflict' });
      assert.equal((await groups.create('client-b', 'g3', { displayName: 'Sales', externalId: null }, [])).kind, 'saved', 'another client may use the name');
      assert.deepEqual(await groups.create('client-a', 'g4', { displayName: 'Thieves', externalId: null }, [b1]), { kind: 'unknown_members', ids: [b1] });
      assert.equal(await groups.find('client-a', 'g4'), undefined, 'a refused create leaves nothing');

      assert.deepEqual(await groups.update('client-a', 'g1', undefined, { add: [a2], remove: [a1] }).then((r) => r.kind === 'saved' && r.group.memberIds), [a2]);
      assert.deepEqual(await groups.update('client-a', 'g1', undefined, { add: [b1], remove: [a2] }), { kind: 'unknown_members', ids: [b1] });
      assert.deepEqual((await groups.find('client-a', 'g1'))?.memberIds, [a2], 'a refused update changes nothing');
      assert.deepEqual(await groups.update('client-b', 'g1', undefined, { set: [] }), { kind: 'not_found' }, 'another client\'s group');
      const renamed = await groups.update('client-a', 'g1', { displayName: 'Sales EMEA', externalId: null }, { set: [a1, a2] });
      assert.deepEqual(renamed.kind === 'saved' && [renamed.group.displayName, renamed.group.memberIds.length], ['Sales EMEA', 2]);
      assert.deepEqual((await groups.list('client-a', { displayName: 'SALES emea' })).map((g) => g.id), ['g1']);
      assert.deepEqual((await groups.list('client-b')).map((g) => g.id), ['g3']);
      assert.deepEqual([...(await groups.groupsOf('client-a', [a1, b1])).entries()], [[a1, [{ id: 'g1', displayName: 'Sales EMEA' }]]]);

      assert.ok(await employees.delete(a1));
      assert.deepEqual((await groups.find('client-a', 'g1'))?.memberIds, [a2], 'the deleted employee\'s membership went with it');
      assert.equal(await groups.delete('client-b', 'g1'), false);
      assert.ok(await groups.delete('client-a', 'g1'));
      assert.equal((await handle.db.selectFrom('scim_group_members').selectAll().where('group_id', '=', 'g1').execute()).length, 0);
    });

    test('jobs: due ones are claimed once, a lapsed lease is reclaimed, failures retry then die, one queued per key', async () => {
      const jobs = new JobRepository(handle.db, handle.dialect);
      await jobs.enqueue({ kind: 'k', payload: { n: 1 }, runAt: 100, maxAttempts: 2 });
      await jobs.enqueue({ kind: 'k', payload: { n: 2 }, runAt: 100_000 });
      await jobs.enqueue({ kind: 'sweep', uniqueKey: 'sweep', runAt: 100 });
      await jobs.enqueue({ kind: 'sweep', uniqueKey: 'sweep', runAt: 50 });
      assert.deepEqual(await jobs.counts(), { queued: 3 }, 'one queued job per unique key');

      const claimed = await jobs.claim('w1', 10, 1_000, 200);
      assert.deepEqual(claimed.map((j) => [j.kind, j.attempts]).sort(), [['k', 1], ['sweep', 1]], 'only due jobs');
      assert.deepEqual(await jobs.claim('w2', 10, 1_000, 300), [], 'claimed jobs are held by their lease');
      await jobs.enqueue({ kind: 'sweep', uniqueKey: 'sweep', runAt: 5_000 });
      assert.equal((await jobs.counts()).queued, 2, 'the next run of a running sweep can be queued');

      const k = claimed.find((j) => j.kind === 'k')!;
      const again = await jobs.claim('w2', 10, 1_000, 1_500);
      assert.deepEqual(again.map((j) => [j.id, j.attempts]).filter(([id]) => id === k.id), [[k.id, 2]], 'a lapsed lease is reclaimed (its runner died)');
      await jobs.complete(k.id, 'w1');
      assert.ok((await jobs.counts()).running, 'the old holder cannot complete a job it lost');
      await jobs.fail(k.id, 'w2', 'boom', null);
      assert.equal((await jobs.counts()).dead, 1, 'out of attempts: dead');

      const sweep = again.find((j) => j.kind === 'sweep')!;
      await jobs.fail(sweep.id, 'w2', 'transient', 9_000);
      assert.deepEqual(await jobs.counts(), { queued: 2, dead: 1 }, 'a keyed retry whose next run is queued is dropped');
      const next = await jobs.claim('w3', 10, 1_000, 5_000);
      assert.deepEqual(next.map((j) => j.kind), ['sweep']);
      await jobs.fail(next[0]!.id, 'w3', 'transient', 9_000);
      assert.deepEqual(await jobs.claim('w3', 10, 1_000, 8_000), [], 'a retry waits for its time');
      await jobs.complete((await jobs.claim('w3', 1, 1_000, 9_000))[0]!.id, 'w3');

      // Two runners at once never take the same job.
      for (let n = 0; n < 6; n++) await jobs.enqueue({ kind: 'many', payload: { n }, runAt: 0 });
      const [a, b] = await Promise.all([jobs.claim('x', 4, 1_000, 10_000), jobs.claim('y', 4, 1_000, 10_000)]);
      const ids = [...a, ...b].map((j) => j.id);
      assert.equal(new Set(ids).size, ids.length, 'disjoint claims');
      assert.ok(ids.length >= 4);
    });

    test('liveness challenges: issuing supersedes open ones; steps are revealed in turn; each is used once', async () => {
      const repo = new ChallengeRepository(handle.db, cipher, handle.dialect);
      const base = { interviewId: 's1', steps: ['turn_left', 'blink'], issuedAt: 1, expiresAt: 2, subjectKey: 'identity:x' };
      const limits = { perSession: 2, perSubject: 10, since: 0, subjectKeys: ['identity:x'] };
      assert.equal(await repo.issue({ ...base, challengeId: 'c1' }, limits), 'issued');
      await repo.addFrames('c1', 0, [Buffer.from('frame-of-c1')], 5);
      assert.equal(await repo.issue({ ...base, challengeId: 'c2', issuedAt: 10 }, limits), 'issued');
      assert.equal((await repo.find('c1'))?.status, 'superseded');
      assert.deepEqual(await repo.loadFrames('c1'), [], 'a superseded challenge\'s frames are dropped');
      const c2 = await repo.find('c2');
      assert.deepEqual([c2?.steps, c2?.revealed, c2?.stepRevealedAt, c2?.subjectKey], [['turn_left', 'blink'], 1, 10, 'identity:x']);
      assert.equal(await repo.issue({ ...base, challengeId: 'c3', issuedAt: 11 }, limits), 'session_exhausted', 'every challenge issued counts');
      assert.equal(await repo.find('c3'), undefined);
      const sessions = new SessionRepository(handle.db, cipher);
      for (const [id, code] of [['ch-s2', 'QRS234'], ['ch-s3', 'QRT345']] as const) {
        await sessions.create({
          interviewId: id, interviewCode: code, tokenHash: `challenge-th-${id}`, origin: 'oidc', mode: 'enroll', environment: 'demo',
          clientId: 'c', interactionUid: null, externalId: null, loginHint: null, expiresAt: Date.now() + 1000,
        }, { type: 'session.created', data: { origin: 'oidc', mode: 'enroll', environment: 'demo' } });
      }
      const other = { ...base, interviewId: 'ch-s2', issuedAt: 12 };
      assert.equal(await repo.issue({ ...other, challengeId: 'd1' }, { ...limits, perSubject: 2 }), 'subject_limited', 'the person\'s challenges across sessions count');
      assert.equal(await repo.issue({ ...other, challengeId: 'd1' }, { ...limits, perSubject: 2, since: 5 }), 'issued', 'only those since `since`');
      // Counting and inserting are one step: ten at once on a fresh session, three allowed, three issued.
      const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.issue({ ...base, interviewId: 'ch-s3', subjectKey: 'identity:y', challengeId: `b${i}` },
        { perSession: 3, perSubject: 100, since: 0, subjectKeys: ['identity:y'] })));
      assert.equal(burst.filter((r) => r === 'issued').length, 3, JSON.stringify(burst));
      const open = await handle.db.selectFrom('liveness_challenges').select('id').where('session_id', '=', 'ch-s3').where('status', '=', 'issued').execute();
      assert.equal(open.length, 1, 'one open challenge per session, however many were asked for at once');

      const frame = (text: string) => new Uint8Array(Buffer.from(text));
      assert.equal(await repo.addFrames('c2', 0, [frame('JPEG-A'), frame('JPEG-B')], 20), 2);
      assert.equal(await repo.addFrames('c2', 0, [frame('JPEG-C')], 21), 3, 'frames held so far');
      assert.equal(await repo.reveal('c2', 1, 30), true);
      assert.equal(await repo.reveal('c2', 1, 31), false, 'compare-and-set on the revealed count');
      assert.deepEqual([(await repo.find('c2'))?.revealed, (await repo.find('c2'))?.stepRevealedAt], [2, 30]);
      await repo.addFrames('c2', 1, [frame('JPEG-D')], 32);
      const raw = await handle.db.selectFrom('liveness_frames').select('frames_encrypted').where('challenge_id', '=', 'c2').execute();
      assert.ok(raw.every((row) => !Buffer.from(row.frames_encrypted).includes(Buffer.from('JPEG'))), 'frames encrypted at rest');
      assert.deepEqual((await repo.loadFrames('c2')).map((f) => [f.step, Buffer.from(f.image).toString()]),
        [[0, 'JPEG-A'], [0, 'JPEG-B'], [0, 'JPEG-C'], [1, 'JPEG-D']]);

      assert.deepEqual(await repo.recordFrameDigests('c2', [['d1'], ['d2'], ['d2']]), []);
      assert.deepEqual(await repo.recordFrameDigests('c2', [['d1']]), [], 'the same challenge may send a frame twice');
      assert.deepEqual(await repo.recordFrameDigests('c3', [['d3'], ['d2']]), ['d2'], 'another challenge may not');

      assert.equal(await repo.latest('s1'), undefined, 'nothing completed yet');
      assert.equal(await repo.complete('c1', 'passed', null), false, 'a superseded challenge cannot be used');
      assert.equal(await repo.complete('c2', 'failed', { reasons: ['challenge_not_performed'], livenessScore: 0.4 }), true);
      assert.equal(await repo.complete('c2', 'passed', null), false, 'single use');
      assert.equal(await repo.reveal('c2', 2, 40), false, 'a used challenge reveals nothing more');
      assert.deepEqual(await repo.loadFrames('c2'), [], 'frames are dropped with the verdict');
      assert.deepEqual((await repo.latest('s1'))?.result, { reasons: ['challenge_not_performed'], livenessScore: 0.4 });

      // A challenge the person walked away from: its frames go when it has expired, old digests too.
      await repo.issue({ ...base, challengeId: 'c4', issuedAt: 50, expiresAt: 60 }, { ...limits, perSession: 10 });
      await repo.addFrames('c4', 0, [frame('JPEG-E')], 55);
      assert.equal(await repo.purgeStale(59, 0), 0, 'not before its expiry');
      assert.ok(await repo.purgeStale(61, Date.now() + 1) >= 1);
      assert.deepEqual(await repo.loadFrames('c4'), []);
      assert.deepEqual(await repo.recordFrameDigests('c5', [['d1']]), [], 'old digests were purged');
    });
  });
}
