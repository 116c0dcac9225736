import { createHash } from 'node:crypto';
import type { VerificationDeps } from './verification-deps.ts';

/** A keyed digest of an image's bytes: recognises the same image again without keeping it. */
export function contentDigest(deps: Pick<VerificationDeps, 'blindIndex'>, image: Uint8Array, purpose: 'liveness-frame' | 'selfie'): string {
  return deps.blindIndex(createHash('sha256').update(image).digest('hex'), purpose);
}

/** The digest under every master key in use, current first (a digest stored before a key rotation still matches). */
export function contentDigests(deps: Pick<VerificationDeps, 'blindIndexes'>, image: Uint8Array, purpose: 'liveness-frame' | 'selfie'): string[] {
  return deps.blindIndexes(createHash('sha256').update(image).digest('hex'), purpose);
}
