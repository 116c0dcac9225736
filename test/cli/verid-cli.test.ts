import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { verid } from '../helpers/cli.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const run = promisify(execFile);

describe('verid CLI', () => {
  let config: Config;

  before(async () => {
    config = loadConfig({ VERID_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'verid-cli-')) });
  });
  after(() => rm(config.dataDir, { recursive: true, force: true }));

  test('clients create | list | rotate-secret | delete, with --json output', async () => {
    const created = await verid(config, ['clients', 'create', '--name', 'Help desk', '--redirect-uri', 'https://hd.example.com/cb']) as Record<string, unknown>;
    assert.match(String(created.client_id), /^vc_/);
    assert.ok(String(created.client_secret).length >= 40);
    const listed = await verid(config, ['clients', 'list']) as Array<Record<string, unknown>>;
    assert.deepEqual(listed.map((c) => c.client_id), [created.client_id]);
    assert.ok(!JSON.stringify(listed).includes(String(created.client_secret)), 'list never shows secrets');
    const rotated = await verid(config, ['clients', 'rotate-secret', String(created.client_id)]) as Record<string, unknown>;
    assert.notEqual(rotated.client_secret, created.client_secret);
    assert.equal((rotated.previous_secrets_valid_until as string[]).length, 1);
    const twice = await verid(config, ['clients', 'rotate-secret', String(created.client_id)]) as Record<string, unknown>;
    assert.equal((twice.previous_secrets_valid_until as string[]).length, 2, 'a second rotation keeps the first secret in its grace period');
    assert.deepEqual(await verid(config, ['clients', 'delete', String(created.client_id)]), { client_id: created.client_id, deleted: true });
    assert.deepEqual(await verid(config, ['clients', 'list']), []);
  });

  test('clients create --profile entra-eam: id_token to Entra\'s redirect URI, RS256, the tenant and its keys', async () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const created = await verid(config, ['clients', 'create', '--name', 'Entra MFA', '--profile', 'entra-eam', '--entra-tenant', tenant]) as Record<string, unknown>;
    assert.deepEqual(created.redirect_uris, ['https://login.microsoftonline.com/common/federation/externalauthprovider']);
    assert.deepEqual(created.response_types, ['id_token']);
    assert.equal(created.id_token_signed_response_alg, 'RS256');
    assert.equal(created.scope, 'openid');
    assert.deepEqual([created.profile, created.entra_tenant_id, created.entra_jwks_uri], ['entra-eam', tenant, null]);
    await verid(config, ['clients', 'delete', String(created.client_id)]);
  });

  test('invalid registrations fail with a readable message and exit code 2', async () => {
    const bin = new URL('../../bin/verid.js', import.meta.url).pathname;
    const env = { ...process.env, VERID_DATA_DIR: config.dataDir };
    for (const [args, message] of [
      [['--redirect-uri', 'http://example.com/cb'], /must use https/],
      [['--redirect-uri', 'https://example.com/cb#frag'], /fragment/],
      [[], /at least one redirect URI/],
      [['--redirect-uri', 'https://example.com/cb', '--scope', 'openid admin'], /unsupported scope/],
      [['--redirect-uri', 'https://example.com/cb', '--auth-method', 'private_key_jwt'], /--jwks/],
      [['--profile', 'entra-eam'], /tenant ID/],
      [['--profile', 'entra-eam', '--entra-tenant', '72f988bf-86f1-41af-91ab-2d7cd011db47', '--id-token-alg', 'ES256'], /RS256/],
      [['--profile', 'entra-eam', '--entra-tenant', '72f988bf-86f1-41af-91ab-2d7cd011db47', '--entra-jwks-uri', 'http://keys.example.com/keys'], /entra_jwks_uri must be an absolute https URL/],
      [['--redirect-uri', 'https://example.com/cb', '--entra-tenant', '72f988bf-86f1-41af-91ab-2d7cd011db47'], /--profile entra-eam/],
    ] as const) {
      await assert.rejects(run(process.execPath, [bin, 'clients', 'create', '--name', 'X', ...args], { env }),
        (error: { code: number; stderr: string }) => error.code === 2 && message.test(error.stderr));
    }
  });

  test('keys rotate publishes next keys first, then activates them and retires the old ones', async () => {
    const initial = await verid(config, ['keys', 'list']) as Array<{ kid: string; state: string }>;
    const first = await verid(config, ['keys', 'rotate']) as { published: string[]; activated: string[]; retired: string[] };
    assert.equal(first.published.length, 2);
    assert.deepEqual(first.activated, []);
    // A published key signs only once relying parties can have fetched it (VERID_KEY_PUBLISH_SECONDS, a day by default).
    const tooSoon = await verid(config, ['keys', 'rotate']) as { published: string[]; activated: string[]; waiting: string[] };
    assert.deepEqual([tooSoon.activated, tooSoon.published, tooSoon.waiting.sort()], [[], [], [...first.published].sort()]);
    const second = await verid({ ...config, keyPublishSeconds: 0 }, ['keys', 'rotate']) as { published: string[]; activated: string[]; retired: string[] };
    assert.deepEqual(second.activated.sort(), first.published.sort());
    const keys = await verid(config, ['keys', 'list']) as Array<{ kid: string; state: string }>;
    const states = Object.fromEntries(keys.map((k) => [k.kid, k.state]));
    for (const kid of first.published) assert.equal(states[kid], 'current');
    for (const key of initial.filter((k) => k.state === 'current')) assert.equal(states[key.kid], 'retired');
    for (const kid of second.published) assert.equal(states[kid], 'next');
  });

  test('starting with another master key on existing data fails with one line that says what to do', async () => {
    await verid(config, ['keys', 'list']);
    const main = new URL('../../src/main.ts', import.meta.url).pathname;
    const env = { ...process.env, VERID_DATA_DIR: config.dataDir, VERID_MASTER_KEY: 'another-master-key-0123456789-abcdefghij', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const failed = await run(process.execPath, [main], { env, timeout: 60_000 }).then(() => undefined, (error: { code: number; stderr: string }) => error);
    assert.ok(failed, 'the server must not start');
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    assert.match(failed.stderr, /^verid: VERID_MASTER_KEY is not the key this database was encrypted with: start verid with the original key/);
  });
});

describe('verid inspect-document and compare exit statuses', () => {
  const bin = new URL('../../bin/verid.js', import.meta.url).pathname;
  const face = (name: string) => new URL(`../fixtures/faces/genuine/${name}`, import.meta.url).pathname;
  const exitOf = (args: string[]) => run(process.execPath, [bin, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 240_000 })
    .then((done) => ({ code: 0, stdout: done.stdout }), (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'verid-inspect-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  test('inspect-document exits 0 for a valid passport and 1 when the document is rejected', async () => {
    const portrait = await readFile(face('london_001/1.jpg'));
    const spec = { issuingCountry: 'FRA', surname: 'Dubois', givenNames: 'Chloé', documentNumber: 'AB1234567', birthDate: '1980-02-03', expiryDate: '2034-05-06', sex: 'F' as const, portrait };
    await writeFile(path.join(dir, 'valid.jpg'), await generatePassport(spec));
    await writeFile(path.join(dir, 'corrupt.jpg'), await generatePassport({ ...spec, corrupt: 'birthDateCheckDigit' }));
    const valid = await exitOf(['inspect-document', path.join(dir, 'valid.jpg')]);
    assert.equal(valid.code, 0, valid.stdout);
    assert.equal(JSON.parse(valid.stdout).dataValid, true);
    const rejected = await exitOf(['inspect-document', path.join(dir, 'corrupt.jpg')]);
    assert.equal(rejected.code, 1);
    assert.deepEqual(JSON.parse(rejected.stdout).reasons.map((reason: { code: string }) => reason.code), ['mrz_check_digit_failed']);
  });

  test('compare exits 0 for a match and 1 for no_match', async () => {
    const same = await exitOf(['compare', face('london_001/1.jpg'), face('london_001/2.jpg')]);
    assert.deepEqual([same.code, JSON.parse(same.stdout).decision], [0, 'match']);
    const other = await exitOf(['compare', face('london_001/1.jpg'), face('london_002/1.jpg')]);
    assert.deepEqual([other.code, JSON.parse(other.stdout).decision], [1, 'no_match']);
  });
});
