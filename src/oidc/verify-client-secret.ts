import type Provider from 'oidc-provider';
import type { ClientRepository } from '../storage/index.ts';
import { verifySecret } from '../security/index.ts';

/**
 * Binds oidc-provider's client secret comparison (client_secret_basic / client_secret_post) to
 * verid's hashed secrets, including the previous secret during its rotation grace period.
 */
export function bindClientSecretVerification(provider: Provider, clients: ClientRepository): void {
  const prototype = provider.Client.prototype as unknown as { compareClientSecret: (this: { clientId: string }, actual: string) => Promise<boolean> };
  prototype.compareClientSecret = async function compareClientSecret(actual: string): Promise<boolean> {
    if (typeof actual !== 'string' || actual.length === 0) return false;
    const record = await clients.find(this.clientId);
    if (!record) return false;
    if (record.secretHash && verifySecret(actual, record.secretHash)) return true;
    return Boolean(record.previousSecretHash && (record.previousSecretExpiresAt ?? 0) > Date.now()
      && verifySecret(actual, record.previousSecretHash));
  };
}
