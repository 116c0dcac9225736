import type { Kysely } from 'kysely';
import { ConfigError } from '../errors/app-error.ts';
import type { DataCipher } from '../security/index.ts';
import { contentDigests, documentKeyPurpose, documentLookupValue, type DocumentRecord, type IdentityClaims } from '../verification/index.ts';
import { brokerSubjectContext, brokerSubjectIndex } from './broker-subject-repository.ts';
import { userNameIndex, userNameOf, type Directory } from './employee-repository.ts';
import { oidcPayloadRow } from './oidc-payload-repository.ts';

export type RekeyRow = Record<string, unknown>;

/**
 * What to do with a row not yet under the current key. `expect`: the columns (besides the primary
 * key) that must still hold what was read for the change to apply (compare-and-set).
 */
export type Plan =
  | { kind: 'update'; set: RekeyRow; expect: string[] }
  | { kind: 'drop'; expect: string[] }
  /** Delete the row and insert `row` (the primary key itself is a keyed hash that changes). */
  | { kind: 'replace'; row: RekeyRow; expect: string[] };

export interface RekeyTable {
  table: string;
  key: readonly string[];
  /** null: the row is already under the current key. */
  plan(row: RekeyRow, with_: { cipher: DataCipher; db: Kysely<any> }): Promise<Plan | null>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Decrypts a column for re-encryption. A ciphertext that opens under neither key stops the rekey
 * with the row's key (ids, never content) and what to do.
 */
function open(cipher: DataCipher, table: string, row: RekeyRow, key: readonly string[], envelope: Uint8Array, context: string): Buffer {
  try {
    return cipher.decrypt(envelope, context);
  } catch (error) {
    const where = key.map((column) => `${column} ${String(row[column])}`).join(', ');
    throw new ConfigError(`${table} (${where}) decrypts under neither VERID_MASTER_KEY nor VERID_MASTER_KEY_PREVIOUS: set VERID_MASTER_KEY_PREVIOUS to the key the data was written with${error instanceof ConfigError ? '' : ' (or the row was altered)'}`);
  }
}

/** A table whose encrypted columns are rewritten in place; `recompute` gives keyed columns derived from the plaintext. */
function encryptedColumns(
  table: string, key: readonly string[], columns: Record<string, (row: RekeyRow) => string>,
  options: { skip?: (row: RekeyRow) => boolean; recompute?: (plain: (column: string) => Buffer, cipher: DataCipher, row: RekeyRow) => RekeyRow } = {},
): RekeyTable {
  return {
    table,
    key,
    async plan(row, { cipher }) {
      if (options.skip?.(row)) return null;
      const stale = Object.keys(columns).filter((column) => row[column] != null && !cipher.isCurrent(row[column] as Uint8Array));
      if (stale.length === 0) return null;
      const opened = new Map<string, Buffer>();
      const plain = (column: string) => opened.get(column)
        ?? opened.set(column, open(cipher, table, row, key, row[column] as Uint8Array, columns[column]!(row))).get(column)!;
      const set: RekeyRow = {};
      for (const column of stale) set[column] = cipher.encrypt(plain(column), columns[column]!(row));
      const recomputed = options.recompute?.(plain, cipher, row) ?? {};
      return { kind: 'update', set: { ...set, ...recomputed }, expect: [...Object.keys(columns), ...Object.keys(recomputed)] };
    },
  };
}

const json = <T>(buffer: Buffer) => JSON.parse(buffer.toString('utf8')) as T;

/**
 * oidc-provider's artefacts: the row key and lookup columns are keyed hashes of the artefact's own
 * identifiers, derived again from the decrypted payload (`jti` is the id every model is saved
 * under). Rows whose id cannot be derived, and expired ones, are dropped: they are short-lived
 * protocol state (codes, tokens, sessions, interactions), never the only copy of a person's data.
 */
const oidcPayloads: RekeyTable = {
  table: 'oidc_payloads',
  key: ['model', 'id'],
  async plan(row, { cipher }) {
    const model = row.model as string;
    const envelope = Buffer.from(row.payload as string, 'base64');
    if (cipher.isCurrent(envelope)) return null;
    const expiresAt = row.expires_at as number | null;
    if (expiresAt !== null && expiresAt <= Date.now()) return { kind: 'drop', expect: ['payload'] };
    const payload = json<Record<string, unknown>>(open(cipher, 'oidc_payloads', row, ['model'], envelope, `oidc:${model}:${row.id as string}`));
    const id = payload.jti;
    if (typeof id !== 'string' || !cipher.blindIndexes(id, `oidc:${model}:id`).includes(row.id as string)) return { kind: 'drop', expect: ['payload'] };
    return { kind: 'replace', row: { model, ...oidcPayloadRow(cipher, model, id, payload), expires_at: expiresAt, consumed_at: row.consumed_at }, expect: ['payload'] };
  },
};

/**
 * Liveness challenges hold two keyed values: the subject key of the hourly limit (the document's
 * blind index) and the digest of the selfie a passed challenge was matched against. Both are
 * recomputed from the session's document and selfie; a subject key whose document is gone
 * (erased) is cleared: it only ever served the one-hour count.
 */
const livenessChallenges: RekeyTable = {
  table: 'liveness_challenges',
  key: ['id'],
  async plan(row, { cipher, db }) {
    const set: RekeyRow = {};
    const sessionId = row.session_id as string;
    const subjectKey = row.subject_key as string | null;
    if (subjectKey?.startsWith('document:')) {
      const session = await db.selectFrom('verification_sessions').select('document_encrypted').where('id', '=', sessionId).executeTakeFirst();
      const document = session?.document_encrypted
        ? json<DocumentRecord>(open(cipher, 'verification_sessions', { id: sessionId }, ['id'], session.document_encrypted, `session:${sessionId}:document`))
        : undefined;
      const f = document?.fields;
      const [current, previous] = f ? cipher.blindIndexes(documentLookupValue(f.issuingCountry, f.documentType, f.documentNumber), 'document') : [];
      if (!f) set.subject_key = null;
      else if (subjectKey === `document:${previous}`) set.subject_key = `document:${current}`;
    }
    const result = row.result ? JSON.parse(row.result as string) as { selfieDigest?: string | null } : null;
    if (result?.selfieDigest) {
      const selfie = await db.selectFrom('session_images').select('data_encrypted').where('session_id', '=', sessionId).where('kind', '=', 'face').executeTakeFirst();
      if (selfie) {
        const image = open(cipher, 'session_images', { session_id: sessionId, kind: 'face' }, ['session_id', 'kind'], selfie.data_encrypted, `session:${sessionId}:image:face`);
        const [current, previous] = contentDigests({ blindIndexes: (value, purpose) => cipher.blindIndexes(value, purpose) }, image, 'selfie');
        if (result.selfieDigest === previous) set.result = JSON.stringify({ ...result, selfieDigest: current });
      }
    }
    return Object.keys(set).length > 0 ? { kind: 'update', set, expect: ['subject_key', 'result'] } : null;
  },
};

/** Digests of frames no longer stored cannot be recomputed: the previous key's are dropped (a replay memory of at most 30 days). */
const frameDigests: RekeyTable = {
  table: 'liveness_frame_digests',
  key: ['digest'],
  async plan(row, { cipher }) {
    return row.key_id === cipher.keyId ? null : { kind: 'drop', expect: ['key_id'] };
  },
};

/** Every table holding ciphertext or a keyed value, in the order `verid rekey` moves them (signing keys last). */
export const REKEY_TABLES: readonly RekeyTable[] = [
  encryptedColumns('oidc_clients', ['client_id'], { secret_encrypted: (r) => `client:${r.client_id}:secret` }),
  encryptedColumns('verification_sessions', ['id'], {
    login_hint_encrypted: (r) => `session:${r.id}:login_hint`,
    expected_name_encrypted: (r) => `session:${r.id}:expected_name`,
    document_encrypted: (r) => `session:${r.id}:document`,
    candidate_encrypted: (r) => `session:${r.id}:candidate`,
    link_token_encrypted: (r) => `session:${r.id}:link_token`,
  }),
  encryptedColumns('session_images', ['session_id', 'kind'], { data_encrypted: (r) => `session:${r.session_id}:image:${r.kind}` }),
  encryptedColumns('liveness_frames', ['id'], { frames_encrypted: (r) => `liveness:${r.challenge_id}:${r.id}` }),
  livenessChallenges,
  frameDigests,
  encryptedColumns('identities', ['id'], {
    claims_encrypted: (r) => `identity:${r.id}:claims`,
    face_template_encrypted: (r) => `identity:${r.id}:face`,
  }, {
    // An erased identity is a stub: no ciphertext, and a lookup key that is not a blind index.
    skip: (row) => row.erased_at !== null,
    recompute: (plain, cipher, row) => {
      const { document } = json<IdentityClaims>(plain('claims_encrypted'));
      const purpose = documentKeyPurpose(row.environment === 'demo' ? 'demo' : 'production');
      return { lookup_key: cipher.blindIndex(documentLookupValue(document.issuingCountry, document.type, document.number), purpose) };
    },
  }),
  oidcPayloads,
  encryptedColumns('employees', ['id'], { directory_encrypted: (r) => `employee:${r.id}:directory` }, {
    recompute: (plain, cipher, row) => {
      const directory = json<Directory>(plain('directory_encrypted'));
      return {
        email_index: directory.email === null ? null : cipher.blindIndex(directory.email.trim().toLowerCase(), 'employee-email'),
        user_name_index: userNameIndex(cipher, userNameOf(directory, row.id as string)),
      };
    },
  }),
  encryptedColumns('broker_subjects', ['id'], { subject_encrypted: (r) => brokerSubjectContext(r.id as string) }, {
    recompute: (plain, cipher, row) => ({ subject_index: brokerSubjectIndex(cipher, row.client_id as string, plain('subject_encrypted').toString('utf8')) }),
  }),
  encryptedColumns('webhook_endpoints', ['id'], {
    secret_encrypted: (r) => `webhook_endpoint:${r.id}:secret`,
    previous_secret_encrypted: (r) => `webhook_endpoint:${r.id}:previous_secret`,
  }),
  encryptedColumns('signing_keys', ['kid'], { private_jwk_encrypted: (r) => `signing_key:${r.kid}` }),
];
