import type Provider from 'oidc-provider';
import type { ClientRecord, ClientRepository } from '../storage/index.ts';
import { verifySecret } from '../security/index.ts';

/** The current secret, or a rotated-out one inside its grace period. */
export function clientSecretMatches(record: ClientRecord, actual: string, now = Date.now()): boolean {
  if (record.secretHash && verifySecret(actual, record.secretHash)) return true;
  return record.previousSecrets.some((p) => p.expiresAt > now && verifySecret(actual, p.hash));
}

/**
 * Binds oidc-provider's client secret comparison (client_secret_basic / client_secret_post) to
 * verid's hashed secrets, including the previous secret during its rotation grace period.
 */
export function bindClientSecretVerification(provider: Provider, clients: ClientRepository): void {
  const prototype = provider.Client.prototype as unknown as { compareClientSecret: (this: { clientId: string; clientSecret?: string }, actual: string) => Promise<boolean> };
  prototype.compareClientSecret = async function compareClientSecret(actual: string): Promise<boolean> {
    if (typeof actual !== 'string' || actual.length === 0) return false;
    // The client was read from the registry for this very request (the storage adapter hands
    // oidc-provider the current secret's hash as client_secret): the current secret needs no
    // second read. Only a secret that does not match it may be a previous one in its grace period.
    if (this.clientSecret?.startsWith('sha256:') && verifySecret(actual, this.clientSecret)) return true;
    const record = await clients.find(this.clientId);
    if (!record) return false;
    return clientSecretMatches(record, actual);
  };
}
