import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.ts';

/** Whether a raw request is a POSTed authorization request (handled here, not by oidc-provider). */
export function isAuthorizationPost(method: string | undefined, url: string | undefined, authorizationPath: string): boolean {
  return method === 'POST' && (url ?? '').split('?')[0] === authorizationPath;
}

/**
 * OIDC Core §3.1.2.1: the authorization endpoint must take POST too (Entra's external
 * authentication methods post their request). oidc-provider's own POST support needs its cookies
 * SameSite=None, which browsers drop without https and which weakens them everywhere; instead the
 * posted form is turned into the equivalent GET (303), a top-level navigation that carries verid's
 * Lax cookies like any other. The parameters are those of a GET request: nothing is added or lost.
 */
export async function authorizePostRoute(app: FastifyInstance, options: { authorizationPath: string }): Promise<void> {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.post(options.authorizationPath, { schema: { hide: true }, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const body = request.body;
    if (!body || typeof body !== 'object') throw new AppError('unsupported_media_type', 'Post the authorization request as application/x-www-form-urlencoded');
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new AppError('invalid_request', `parameter ${name} must be given once`);
      params.append(name, value);
    }
    return reply.redirect(`${options.authorizationPath}?${params.toString()}`, 303);
  });
}
