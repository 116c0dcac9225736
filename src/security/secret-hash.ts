import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets and session tokens are 256-bit random values, so a fast hash is sufficient
 * (no password stretching needed) and a stolen database does not reveal them.
 */
export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('base64url')}`;
}

export function verifySecret(secret: string, hash: string): boolean {
  const actual = Buffer.from(hashSecret(secret));
  const expected = Buffer.from(hash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
