// Child process for crash-recovery.test.ts: claims the one queued `test.hold` job and holds it
// forever (as a worker stuck or killed mid-job would), telling the parent once it does.
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { JobRepository, openDatabase } from '../../src/storage/index.ts';

const database = openDatabase({ databaseUrl: process.env.DATABASE_URL || null, dataDir: process.env.VERID_DATA_DIR ?? '' });
const runner = new JobRunner(new JobRepository(database.db, database.dialect), {
  pollMs: 50, leaseMs: Number(process.env.LEASE_MS), batch: 1, baseBackoffMs: 10, maxBackoffMs: 10, log: { info() {}, error() {} },
});
runner.handle('test.hold', async () => {
  process.stdout.write('holding\n');
  await new Promise(() => {});
});
await runner.runDue();
