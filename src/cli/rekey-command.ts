import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { DataCipher } from '../security/index.ts';
import { migrateToLatest, openDatabase, rekeyDatabase, type RekeyTableReport } from '../storage/index.ts';
import type { Output } from './output.ts';

const summary = (r: RekeyTableReport) => `${r.table}: ${r.rekeyed} rekeyed, ${r.current} already current, ${r.dropped} dropped`;

/** `verid rekey`: the second half of a master-key rotation (docs/security.md, Key rotation). */
export function rekeyCommand(program: Command, config: () => Config, output: () => Output): void {
  program.command('rekey')
    .description('Re-encrypt every row written under VERID_MASTER_KEY_PREVIOUS with VERID_MASTER_KEY and recompute keyed lookups; resumable, safe while servers run')
    .option('--batch-size <rows>', 'rows per transaction', '100')
    .action(async (options: { batchSize: string }) => {
      const c = config();
      if (!c.masterKeyPrevious) {
        throw new Error('VERID_MASTER_KEY_PREVIOUS is not set: set it to the key being replaced (and VERID_MASTER_KEY to the new one), then run verid rekey');
      }
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
      const database = openDatabase(c);
      try {
        await migrateToLatest(database.db, database.dialect);
        const text = output() === 'text';
        const reports = await rekeyDatabase(database.db, new DataCipher(c.masterKey, c.masterKeyPrevious), {
          batchSize, onTable: (report) => text && process.stdout.write(`${summary(report)}\n`),
        });
        if (text) process.stderr.write('\nEvery row is under VERID_MASTER_KEY: unset VERID_MASTER_KEY_PREVIOUS and restart the servers.\n');
        else process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      } finally {
        await database.close();
      }
    });
}
