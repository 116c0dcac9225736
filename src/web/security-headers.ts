import { createHash } from 'node:crypto';
import { PAGE_STYLE } from './html.ts';

export interface SecurityHeaderOptions {
  /** Origins allowed to frame verid's pages (CSP frame-ancestors); empty: none. */
  frameAncestors: readonly string[];
  /** The issuer is https: browsers are told to use https only (HSTS). */
  https: boolean;
}

/**
 * Headers for every response, verid's and oidc-provider's alike. The Content-Security-Policy allows
 * scripts only from verid itself, the pages' one inline stylesheet by its hash, and no framing;
 * oidc-provider adds the hash of the inline script of its form_post page to `script-src` itself.
 * No `form-action`: the login ends by posting or redirecting to the client's redirect_uri.
 */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const styleHash = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;
  const framing = options.frameAncestors.length > 0 ? options.frameAncestors.join(' ') : "'none'";
  const csp = [
    "default-src 'none'", "script-src 'self'", `style-src ${styleHash}`, "img-src 'self' data: blob:", "media-src 'self' blob: mediastream:",
    "connect-src 'self'", `frame-ancestors ${framing}`, "base-uri 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(options.frameAncestors.length === 0 ? { 'x-frame-options': 'DENY' } : {}),
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
