import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the sign-in page's forms (complete, abort): an HMAC of the interaction uid with a
 * key derived from the master key. Another site cannot compute it for the victim's interaction, and
 * the interaction itself is bound to the browser by oidc-provider's cookie.
 */
export class InteractionCsrf {
  readonly #key: Buffer;

  constructor(masterKey: string) {
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, 'verid', 'interaction csrf v1', 32));
  }

  token(uid: string): string {
    return createHmac('sha256', this.#key).update(uid).digest('base64url');
  }

  verify(uid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.token(uid));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
