import type Provider from 'oidc-provider';
import type { ClientRepository } from '../storage/index.ts';
import { entraProfile } from './entra-hint.ts';

/**
 * Whether the browser's verid session (oidc-provider's, shared by every relying party) may sign
 * its person in to a client of `environment` without a new verification. Only when every client
 * the session signed in to is of that environment: a demo client accepts test documents
 * (docs/testing.md), so a sign-in there proves nothing to a production client, and the reverse.
 * Nor after a sign-in through a Microsoft Entra external authentication method client: that
 * session's account is Entra's user (its `sub`), known to that client only.
 */
export async function maySignInAgain(provider: Provider, clients: ClientRepository, sessionId: string | undefined, environment: 'demo' | 'production'): Promise<boolean> {
  if (!sessionId) return false;
  const session = await provider.Session.find(sessionId);
  const signedInTo = Object.keys(session?.authorizations ?? {});
  if (signedInTo.length === 0) return false;
  const records = await Promise.all(signedInTo.map((clientId) => clients.find(clientId)));
  return records.every((record) => record?.environment === environment && !entraProfile(record.metadata));
}
