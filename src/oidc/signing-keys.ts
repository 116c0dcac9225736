import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningKeyRecord, SigningKeyRepository } from '../storage/index.ts';
import { keyCertificate } from './key-certificate.ts';

/** RS256 because Microsoft Entra requires it; ES256 for everyone else who prefers smaller tokens. */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const;

async function newKey(alg: string): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = `${alg.toLowerCase()}-${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}-${randomUUID().slice(0, 8)}`;
  const privateJwk = await exportJWK(privateKey);
  return { kid, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, privateJwk: { ...privateJwk, kid, alg, use: 'sig' } };
}

/**
 * First start: one current key per algorithm. Instances starting together on one database race
 * here; the database allows one current key per algorithm, so the losers' keys are refused and
 * every instance ends up with the same key set. Returns true when this call created keys.
 */
export async function ensureSigningKeys(repository: SigningKeyRepository): Promise<boolean> {
  const keys = await repository.list();
  let created = false;
  for (const alg of SIGNING_ALGORITHMS) {
    if (!keys.some((k) => k.alg === alg && k.state === 'current')) {
      const key = await newKey(alg);
      if (await repository.insertCurrentIfNone({ ...key, alg })) created = true;
    }
  }
  return created;
}

export interface RotationResult {
  published: string[];
  activated: string[];
  /** Next keys published too recently to sign yet (relying parties may not have fetched them). */
  waiting: string[];
  retired: string[];
  removed: number;
}

/**
 * One rotation step. Keys move next → current → retired:
 *  - when `next` keys exist (published by an earlier step, so relying parties have cached them),
 *    they become current and the current ones are retired but stay in the JWKS until every token
 *    they signed has expired (`maxTokenLifetimeSeconds`);
 *  - a new `next` key per algorithm is generated and published.
 * Run it on a schedule (e.g. monthly): each run activates the key the previous run published.
 */
export async function rotateSigningKeys(
  repository: SigningKeyRepository, maxTokenLifetimeSeconds: number, minPublishedSeconds = 0,
): Promise<RotationResult> {
  const removed = await repository.deleteRetiredBefore();
  const keys = await repository.list();
  // A key signs only once it has been in the JWKS longer than relying parties cache the JWKS.
  const publishedBefore = Date.now() - minPublishedSeconds * 1000;
  const waiting = keys.filter((k) => k.state === 'next' && k.createdAt > publishedBefore);
  if (waiting.length > 0) return { published: [], activated: [], waiting: waiting.map((k) => k.kid), retired: [], removed };
  // One key per algorithm becomes current: the newest published (two concurrent rotations may have
  // published two); the others retire with the current ones.
  const newestNext = new Map<string, SigningKeyRecord>();
  for (const key of keys.filter((k) => k.state === 'next')) {
    const seen = newestNext.get(key.alg);
    if (!seen || key.createdAt > seen.createdAt) newestNext.set(key.alg, key);
  }
  const next = [...newestNext.values()];
  const extraNext = keys.filter((k) => k.state === 'next' && !next.includes(k));
  const activated: string[] = [];
  const retired: string[] = [];
  if (next.length > 0) {
    const nextAlgs = new Set(next.map((k) => k.alg));
    const toRetire = [...keys.filter((k) => k.state === 'current' && nextAlgs.has(k.alg)), ...extraNext];
    const removeAfter = Date.now() + maxTokenLifetimeSeconds * 1000;
    await repository.promote(next.map((k) => k.kid), toRetire.map((k) => ({ kid: k.kid, removeAfter })));
    activated.push(...next.map((k) => k.kid));
    retired.push(...toRetire.map((k) => k.kid));
  }
  const published: string[] = [];
  for (const alg of SIGNING_ALGORITHMS) {
    const key = await newKey(alg);
    await repository.insert({ ...key, alg, state: 'next' });
    published.push(key.kid);
  }
  return { published, activated, waiting: [], retired, removed };
}

const ORDER: Record<SigningKeyRecord['state'], number> = { current: 0, next: 1, retired: 2 };

/**
 * The private JWKS handed to oidc-provider. It signs with the first key of a matching algorithm,
 * so current keys come first; next and retired keys are only published for verification.
 */
export function providerJwks(keys: SigningKeyRecord[], now = Date.now()): { keys: JWK[] } {
  return {
    keys: keys
      .filter((k) => k.state !== 'retired' || (k.removeAfter ?? 0) > now)
      .sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.createdAt - a.createdAt)
      // RSA keys carry a self-signed certificate: Microsoft Entra reads keys from x5c.
      .map((k) => (k.alg === 'RS256' ? { ...k.privateJwk, x5c: [keyCertificate(k.privateJwk, k.kid, k.createdAt)] } : k.privateJwk) as JWK),
  };
}
