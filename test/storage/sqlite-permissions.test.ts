import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { migrateToLatest, openDatabase } from '../../src/storage/index.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

test('the SQLite data directory is 0700 and its files 0600, also when they existed with wider permissions', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'verid-perms-'));
  try {
    const fresh = path.join(root, 'fresh');
    const handle = openDatabase({ databaseUrl: null, dataDir: fresh });
    await migrateToLatest(handle.db, handle.dialect);
    assert.equal(mode(fresh), 0o700);
    for (const file of ['verid.sqlite', 'verid.sqlite-wal', 'verid.sqlite-shm']) assert.equal(mode(path.join(fresh, file)), 0o600, file);
    await handle.close();

    const loose = path.join(root, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    writeFileSync(path.join(loose, 'verid.sqlite'), '');
    chmodSync(path.join(loose, 'verid.sqlite'), 0o644);
    const again = openDatabase({ databaseUrl: null, dataDir: loose });
    await migrateToLatest(again.db, again.dialect);
    assert.equal(mode(loose), 0o700);
    assert.equal(mode(path.join(loose, 'verid.sqlite')), 0o600);
    await again.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
