import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors/app-error.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM envelope for data at rest. The key is derived from the master key with HKDF; every
 * ciphertext carries the key's id so a future master-key rotation can keep decrypting old rows.
 * `context` is bound as additional authenticated data, so a ciphertext cannot be moved to another
 * row or column unnoticed.
 */
export class DataCipher {
  readonly #key: Buffer;
  readonly #keyId: Buffer;

  constructor(masterKey: string) {
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, 'verid', 'verid data encryption v1', 32));
    this.#keyId = createHash('sha256').update(this.#key).digest().subarray(0, KEY_ID_BYTES);
  }

  encrypt(plaintext: Uint8Array, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), this.#keyId, iv, cipher.getAuthTag(), body]);
  }

  decrypt(envelope: Uint8Array, context: string): Buffer {
    const data = Buffer.from(envelope);
    if (data.length < HEADER_BYTES || data[0] !== VERSION) throw new Error('unknown ciphertext format');
    if (!data.subarray(1, 1 + KEY_ID_BYTES).equals(this.#keyId)) {
      throw new ConfigError('VERID_MASTER_KEY is not the key this database was encrypted with: start verid with the original key (a new key cannot read the existing data)');
    }
    const iv = data.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
    const tag = data.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]);
  }

  encryptJson(value: unknown, context: string): Buffer {
    return this.encrypt(Buffer.from(JSON.stringify(value)), context);
  }

  decryptJson<T>(envelope: Uint8Array, context: string): T {
    return JSON.parse(this.decrypt(envelope, context).toString('utf8')) as T;
  }

  /** Keyed hash for lookups over PII (e.g. "have we seen this document number?") without storing it. */
  blindIndex(value: string, purpose: string): string {
    return createHash('sha256').update(this.#key).update(`\0${purpose}\0${value}`).digest('base64url');
  }
}
