import { randomBytes } from 'node:crypto';
import apiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';

/**
 * The API reference at /docs (Scalar, served from the package: nothing is fetched from a CDN). Its
 * page is the only one with an inline script and styles, so it gets its own Content-Security-Policy:
 * its scripts by nonce, inline styles (Vue sets them at run time) allowed; the page shows the
 * public OpenAPI document and takes no input.
 */
export async function registerApiReference(server: FastifyInstance): Promise<void> {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'", `script-src 'self' 'nonce-${nonce}'`, "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
    "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
  ].join('; ');
  await server.register(apiReference, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', nonce, pageTitle: 'verid API', withDefaultFonts: false, hideClientButton: true, telemetry: false,
      showDeveloperTools: 'never', agent: { disabled: true }, mcp: { disabled: true } },
    hooks: { onRequest: async (_request, reply) => { reply.raw.setHeader('content-security-policy', csp); } },
  });
}
