import type { Kysely, Selectable } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { EndpointStore, NewEndpoint, WebhookEndpoint } from '../webhooks/ports.ts';
import type { Database, WebhookEndpointTable } from './database-schema.ts';
import { queueSessionHeads } from './webhook-delivery-queue.ts';

export function toEndpoint(row: Selectable<WebhookEndpointTable>): WebhookEndpoint {
  return {
    id: row.id,
    clientId: row.client_id,
    url: row.url,
    eventTypes: JSON.parse(row.event_types),
    state: row.state,
    disabledReason: row.disabled_reason as WebhookEndpoint['disabledReason'],
    previousSecretExpiresAt: row.previous_secret_expires_at,
    failingSince: row.failing_since,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const secretContext = (id: string) => `webhook_endpoint:${id}:secret`;
const previousContext = (id: string) => `webhook_endpoint:${id}:previous_secret`;

/** Webhook endpoints; signing secrets are encrypted (the sender needs them in clear to sign). */
export class WebhookEndpointRepository implements EndpointStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async create(endpoint: NewEndpoint): Promise<void> {
    const now = Date.now();
    await this.#db.insertInto('webhook_endpoints').values({
      id: endpoint.id, client_id: endpoint.clientId, url: endpoint.url, event_types: JSON.stringify(endpoint.eventTypes),
      secret_encrypted: this.#cipher.encrypt(Buffer.from(endpoint.secret), secretContext(endpoint.id)),
      previous_secret_encrypted: null, previous_secret_expires_at: null, state: 'enabled', disabled_reason: null,
      failing_since: null, consecutive_failures: 0, created_at: now, updated_at: now,
    }).execute();
  }

  async find(id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.#db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEndpoint(row) : undefined;
  }

  async list(clientId?: string): Promise<WebhookEndpoint[]> {
    let query = this.#db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at');
    if (clientId !== undefined) query = query.where('client_id', '=', clientId);
    return (await query.execute()).map(toEndpoint);
  }

  async signingSecrets(id: string, now: number): Promise<string[]> {
    const row = await this.#db.selectFrom('webhook_endpoints')
      .select(['secret_encrypted', 'previous_secret_encrypted', 'previous_secret_expires_at']).where('id', '=', id).executeTakeFirst();
    if (!row) return [];
    const secrets = [this.#cipher.decrypt(row.secret_encrypted, secretContext(id)).toString('utf8')];
    if (row.previous_secret_encrypted && (row.previous_secret_expires_at ?? 0) > now) {
      secrets.push(this.#cipher.decrypt(row.previous_secret_encrypted, previousContext(id)).toString('utf8'));
    }
    return secrets;
  }

  async rotateSecret(id: string, secret: string, previousValidUntil: number): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('webhook_endpoints').select('secret_encrypted').where('id', '=', id).executeTakeFirst();
      if (!row) return false;
      const current = this.#cipher.decrypt(row.secret_encrypted, secretContext(id));
      // The secret being replaced overlaps; one rotated out earlier stops signing now (the newest two stay valid).
      const result = await tx.updateTable('webhook_endpoints').set({
        secret_encrypted: this.#cipher.encrypt(Buffer.from(secret), secretContext(id)),
        previous_secret_encrypted: this.#cipher.encrypt(current, previousContext(id)),
        previous_secret_expires_at: previousValidUntil,
        updated_at: Date.now(),
      }).where('id', '=', id).where('secret_encrypted', '=', row.secret_encrypted).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Error('the endpoint\'s secret changed meanwhile; rotate again');
      return true;
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const result = await tx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    });
  }

  async enable(id: string, now: number): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const result = await tx.updateTable('webhook_endpoints')
        .set({ state: 'enabled', disabled_reason: null, failing_since: null, consecutive_failures: 0, updated_at: now })
        .where('id', '=', id).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await queueSessionHeads(tx, id, now);
      return true;
    });
  }
}
