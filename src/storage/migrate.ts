import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import type { SqlDialectName } from './database.ts';
import * as initial from './migrations/0001-initial.ts';
import * as reverifyLiveness from './migrations/0002-reverify-liveness.ts';
import * as expectedName from './migrations/0003-expected-name.ts';
import * as noLoginHintIdentity from './migrations/0004-no-login-hint-identity.ts';
import * as livenessSteps from './migrations/0005-liveness-steps.ts';
import * as outboxSession from './migrations/0006-outbox-session.ts';
import * as oidcPayloadsHashed from './migrations/0007-oidc-payloads-hashed.ts';
import * as jobs from './migrations/0008-jobs.ts';
import * as erasure from './migrations/0009-erasure.ts';
import * as consent from './migrations/0010-consent.ts';
import * as oneCurrentKey from './migrations/0011-one-current-key.ts';
import * as frameDigestKey from './migrations/0012-frame-digest-key.ts';
import * as omniStart from './migrations/0013-omni-start.ts';
import * as webhooks from './migrations/0014-webhooks.ts';
import * as linkDelivery from './migrations/0015-link-delivery.ts';
import * as employees from './migrations/0016-employees.ts';
import * as identityEnvironment from './migrations/0017-identity-environment.ts';
import * as brokerSubjects from './migrations/0018-broker-subjects.ts';
import * as scimGroups from './migrations/0019-scim-groups.ts';
import * as employeeUserNameIndex from './migrations/0020-employee-user-name-index.ts';
import * as readEpoch from './migrations/0021-read-epoch.ts';

const MIGRATIONS: Record<string, typeof initial> = {
  '0001-initial': initial,
  '0002-reverify-liveness': reverifyLiveness,
  '0003-expected-name': expectedName,
  '0004-no-login-hint-identity': noLoginHintIdentity,
  '0005-liveness-steps': livenessSteps,
  '0006-outbox-session': outboxSession,
  '0007-oidc-payloads-hashed': oidcPayloadsHashed,
  '0008-jobs': jobs,
  '0009-erasure': erasure,
  '0010-consent': consent,
  '0011-one-current-key': oneCurrentKey,
  '0012-frame-digest-key': frameDigestKey,
  '0013-omni-start': omniStart,
  '0014-webhooks': webhooks,
  '0015-link-delivery': linkDelivery,
  '0016-employees': employees,
  '0017-identity-environment': identityEnvironment,
  '0018-broker-subjects': brokerSubjects,
  '0019-scim-groups': scimGroups,
  '0020-employee-user-name-index': employeeUserNameIndex,
  '0021-read-epoch': readEpoch,
};

/** Applies every pending migration, in name order, each in its own transaction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema types hold
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialectName): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [name, { up: (tx) => m.up(tx, dialect) }]),
      ),
    },
    migrationTableName: 'verid_migrations',
    migrationLockTableName: 'verid_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
