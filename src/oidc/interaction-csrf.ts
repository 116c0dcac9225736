import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the sign-in page's forms (complete, abort): an HMAC of the interaction uid with a
 * key derived from the master key. Another site cannot compute it for the victim's interaction, and
 * the interaction itself is bound to the browser by oidc-provider's cookie.
 */
export class InteractionCsrf {
  readonly #keys: Buffer[];

  /** `masterKeys`: the current key, then the previous one during a rotation (a page opened before the restart still submits). */
  constructor(masterKeys: readonly string[]) {
    this.#keys = masterKeys.map((key) => Buffer.from(hkdfSync('sha256', key, 'verid', 'interaction csrf v1', 32)));
  }

  token(uid: string): string {
    return tokenUnder(this.#keys[0]!, uid);
  }

  verify(uid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const given = Buffer.from(token);
    return this.#keys.some((key) => {
      const expected = Buffer.from(tokenUnder(key, uid));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}

function tokenUnder(key: Buffer, uid: string): string {
  return createHmac('sha256', key).update(uid).digest('base64url');
}
