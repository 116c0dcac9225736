import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/index.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/verid.js', import.meta.url).pathname;

/** Runs the real `verid` CLI against a test server's database and returns its JSON output. */
export async function verid(config: Config, args: string[]): Promise<unknown> {
  const env = {
    ...process.env,
    VERID_DATA_DIR: config.dataDir,
    VERID_MASTER_KEY: config.masterKey,
    VERID_MASTER_KEY_PREVIOUS: config.masterKeyPrevious ?? '',
    VERID_ISSUER: config.issuer,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DATABASE_URL: config.databaseUrl ?? '',
    VERID_KEY_PUBLISH_SECONDS: String(config.keyPublishSeconds),
  };
  const { stdout } = await run(process.execPath, [BIN, '--json', ...args], { env });
  return JSON.parse(stdout);
}
