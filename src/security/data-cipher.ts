import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError } from '../errors/app-error.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

interface DerivedKey {
  key: Buffer;
  /** The same key as a KeyObject: a cipher made from a Buffer converts the key on every call (3× the cost of a small AES-GCM operation). */
  secret: KeyObject;
  id: Buffer;
}

function derive(masterKey: string): DerivedKey {
  const key = Buffer.from(hkdfSync('sha256', masterKey, 'verid', 'verid data encryption v1', 32));
  return { key, secret: createSecretKey(key), id: createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES) };
}

/**
 * AES-256-GCM envelope for data at rest. The key is derived from the master key with HKDF; every
 * ciphertext carries the key's id, so during a master-key rotation (VERID_MASTER_KEY_PREVIOUS) old
 * rows stay readable: new data is always written under the current key, and a ciphertext whose id
 * is the previous key's is opened with that one. `context` is bound as additional authenticated
 * data, so a ciphertext cannot be moved to another row or column unnoticed.
 */
export class DataCipher {
  readonly #current: DerivedKey;
  readonly #previous: DerivedKey | null;

  constructor(masterKey: string, previousMasterKey: string | null = null) {
    this.#current = derive(masterKey);
    this.#previous = previousMasterKey === null ? null : derive(previousMasterKey);
  }

  /** Whether a previous master key is configured (a rotation is under way). */
  get rotating(): boolean {
    return this.#previous !== null;
  }

  /** The current key's id as stored in envelopes (hex): what `verid rekey` records beside keyed digests. */
  get keyId(): string {
    return this.#current.id.toString('hex');
  }

  encrypt(plaintext: Uint8Array, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.secret, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), this.#current.id, iv, cipher.getAuthTag(), body]);
  }

  decrypt(envelope: Uint8Array, context: string): Buffer {
    const data = Buffer.from(envelope);
    const { secret } = this.#keyFor(data);
    const iv = data.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
    const tag = data.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', secret, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]);
  }

  /** Whether `envelope` was written under the current key (`verid rekey` skips those rows). */
  isCurrent(envelope: Uint8Array): boolean {
    const data = Buffer.from(envelope);
    return data.length >= HEADER_BYTES && data[0] === VERSION && data.subarray(1, 1 + KEY_ID_BYTES).equals(this.#current.id);
  }

  #keyFor(data: Buffer): DerivedKey {
    if (data.length < HEADER_BYTES || data[0] !== VERSION) throw new Error('unknown ciphertext format');
    const id = data.subarray(1, 1 + KEY_ID_BYTES);
    if (id.equals(this.#current.id)) return this.#current;
    if (this.#previous && id.equals(this.#previous.id)) return this.#previous;
    throw new ConfigError(this.#previous
      ? 'neither VERID_MASTER_KEY nor VERID_MASTER_KEY_PREVIOUS is the key this data was encrypted with: set VERID_MASTER_KEY_PREVIOUS to the key the database was written with'
      : 'VERID_MASTER_KEY is not the key this database was encrypted with: start verid with the original key, or to change keys set the original as VERID_MASTER_KEY_PREVIOUS and run `verid rekey` (docs/security.md, Key rotation)');
  }

  encryptJson(value: unknown, context: string): Buffer {
    return this.encrypt(Buffer.from(JSON.stringify(value)), context);
  }

  decryptJson<T>(envelope: Uint8Array, context: string): T {
    return JSON.parse(this.decrypt(envelope, context).toString('utf8')) as T;
  }

  /** Keyed hash for lookups over PII (e.g. "have we seen this document number?") without storing it. */
  blindIndex(value: string, purpose: string): string {
    return indexUnder(this.#current, value, purpose);
  }

  /**
   * The blind index under every key in use: the current key's first, then the previous key's while
   * a rotation is under way. Lookups match any of them; writes store the first.
   */
  blindIndexes(value: string, purpose: string): string[] {
    return this.#previous ? [indexUnder(this.#current, value, purpose), indexUnder(this.#previous, value, purpose)] : [indexUnder(this.#current, value, purpose)];
  }
}

function indexUnder(derived: DerivedKey, value: string, purpose: string): string {
  return createHash('sha256').update(derived.key).update(`\0${purpose}\0${value}`).digest('base64url');
}
