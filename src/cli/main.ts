import { Command } from 'commander';
import { pino } from 'pino';
import { createCore } from '../core.ts';
import { createJobs } from '../jobs/start-jobs.ts';
import { CONFIG_KEYS, loadConfig, type Config } from '../config/index.ts';
import { rotateSigningKeys } from '../oidc/signing-keys.ts';
import { migrateToLatest, openDatabase } from '../storage/index.ts';
import { clientsCommand } from './clients-command.ts';
import { compareCommand } from './compare-command.ts';
import { inspectDocumentCommand } from './inspect-document-command.ts';
import { webhooksCommand } from './webhooks-command.ts';
import { openCliContext } from './cli-context.ts';
import { rekeyCommand } from './rekey-command.ts';
import { print, type Output } from './output.ts';

const program = new Command('verid')
  .description('verid: workforce identity verification (OpenID Connect provider and APIs)')
  .option('--json', 'machine-readable JSON output');

let cachedConfig: Config | undefined;
const config = () => (cachedConfig ??= loadConfig());
const output = (): Output => (program.opts().json ? 'json' : 'text');

program.command('serve').description('Start the server (same as `npm start`)').action(async () => {
  await import('../main.ts');
});

program.command('migrate').description('Apply pending database migrations').action(async () => {
  const database = openDatabase(config());
  try {
    const result = await migrateToLatest(database.db, database.dialect);
    print(output(), { database: database.location, applied: (result.results ?? []).map((r) => r.migrationName) });
  } finally {
    await database.close();
  }
});

program.command('worker')
  .description('Run only the background jobs (sweeps, webhook and link delivery): any number of workers, and servers, share one database')
  .action(async () => {
    const c = config();
    const log = pino({ level: c.logLevel });
    const core = await createCore(c);
    const { runner } = await createJobs(core, log);
    runner.start();
    log.info({ worker: runner.worker }, 'verid worker running');
    // The runner's timers are unref'd and SQLite holds no socket: without this the process would end after the first batch.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    const signal = await new Promise<string>((resolve) => {
      for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve(name));
    });
    clearInterval(keepAlive);
    log.info({ signal }, 'verid worker stopping');
    await runner.stop();
    await core.close();
  });

/** Runs `work` on a core (database, keys, verification) and closes it. */
async function withCore<T>(work: (core: Awaited<ReturnType<typeof createCore>>) => Promise<T>): Promise<T> {
  const core = await createCore(config());
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

const sessions = program.command('sessions').description('Verification sessions');
sessions.command('delete <interviewId>')
  .description('Erase a session\'s personal data now (images, frames, document data, names); its non-PII record stays')
  .action(async (interviewId: string) => {
    await withCore((core) => core.verification.eraseSession(interviewId));
    print(output(), { interview_id: interviewId, erased: true });
  });
for (const [name, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
  sessions.command(`${name} <interviewId>`)
    .description(`Decide a session waiting for review: ${decision}${decision === 'approved' ? ' (an enrolment enrols the identity)' : ''}`)
    .requiredOption('--reason <code>', 'why, as a code (e.g. document_checked_by_hand); never personal data')
    .action(async (interviewId: string, options: { reason: string }) => {
      const session = await withCore((core) => core.verification.review(interviewId, decision, options.reason));
      print(output(), { interview_id: session.interviewId, state: session.state, identity_id: session.identityId, reasons: session.reasons });
    });
}
sessions.command('close <interviewId>').description('Freeze a decided session\'s result').action(async (interviewId: string) => {
  const session = await withCore((core) => core.verification.close(interviewId));
  print(output(), { interview_id: session.interviewId, state: session.state });
});
const identities = program.command('identities').description('Enrolled identities');
identities.command('delete <identityId>')
  .description('Erase an identity (claims, face template) and the personal data of all its sessions; a stub with its id stays')
  .action(async (identityId: string) => {
    await withCore((core) => core.verification.eraseIdentity(identityId));
    print(output(), { identity_id: identityId, erased: true });
  });

clientsCommand(program, config, output);
compareCommand(program, config, output);
inspectDocumentCommand(program, config, output);
webhooksCommand(program, config, output);
rekeyCommand(program, config, output);

const keys = program.command('keys').description('Token signing keys');
keys.command('list').description('List signing keys and their state (next, current, retired)').action(async () => {
  const ctx = await openCliContext(config());
  try {
    print(output(), (await ctx.keys.list()).map((k) => ({
      kid: k.kid, alg: k.alg, state: k.state, created_at: new Date(k.createdAt).toISOString(),
      remove_after: k.removeAfter ? new Date(k.removeAfter).toISOString() : null,
    })));
  } finally {
    await ctx.close();
  }
});
keys.command('rotate')
  .description('Activate the keys published by the previous rotation, retire the current ones, publish new next keys')
  .action(async () => {
    const c = config();
    const ctx = await openCliContext(c);
    try {
      const lifetime = Math.max(c.idTokenTtlSeconds, c.accessTokenTtlSeconds);
      const result = await rotateSigningKeys(ctx.keys, lifetime, c.keyPublishSeconds);
      print(output(), result, result.waiting.length > 0
        ? `The published keys are younger than VERID_KEY_PUBLISH_SECONDS (${c.keyPublishSeconds} s): nothing changed; rotate again later.`
        : `Running servers switch to the new key set within ${c.keyRefreshSeconds} s.`);
    } finally {
      await ctx.close();
    }
  });

program.command('config').description('Print the configuration keys as a Markdown table').action(() => {
  const rows = Object.values(CONFIG_KEYS).map((k) => `| \`${k.env}\` | ${k.type === 'enum' ? (k as { values?: readonly string[] }).values?.join(' \\| ') : k.type} | ${k.default === null ? '—' : `\`${k.default}\``} | ${k.description} |`);
  process.stdout.write(['| variable | type | default | description |', '|---|---|---|---|', ...rows].join('\n') + '\n');
});

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`verid: ${error.message}\n`);
  process.exit(2);
});
