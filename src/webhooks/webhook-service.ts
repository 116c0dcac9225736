import { AppError } from '../errors/index.ts';
import { randomId } from '../security/index.ts';
import { WEBHOOK_EVENT_TYPES, type Environment, type WebhookEventType } from '../verification/index.ts';
import { checkEndpointUrl, resolveAll, type OutboundPolicy, type ResolveAll } from './outbound-policy.ts';
import type { AttemptRecord, Delivery, DeliveryStore, EndpointStore, WebhookEndpoint } from './ports.ts';
import { messageIdOf, webhookId } from './webhook-body.ts';
import { newWebhookSecret } from './webhook-signer.ts';

export interface WebhookServiceDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  clients: { find(clientId: string): Promise<{ environment: Environment } | undefined> };
  policy: OutboundPolicy;
  /** How long a rotated-out secret keeps signing. */
  secretOverlapMs: number;
  resolve?: ResolveAll;
}

/** Managing endpoints and looking into deliveries (`verid webhooks …`). */
export class WebhookService {
  readonly #deps: WebhookServiceDeps;

  constructor(deps: WebhookServiceDeps) {
    this.#deps = deps;
  }

  /** Registers an endpoint for a client; the secret is returned once and stored encrypted. */
  async addEndpoint(input: { clientId: string; url: string; eventTypes?: string[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const client = await this.#deps.clients.find(input.clientId);
    if (!client) throw new AppError('not_found', `No client ${input.clientId}`);
    const eventTypes = input.eventTypes ?? [];
    const unknown = eventTypes.filter((t) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', `Unknown event types: ${unknown.join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`, { details: { reason: 'unknown_event_type' } });
    }
    const check = await checkEndpointUrl(input.url, client.environment, this.#deps.policy, this.#deps.resolve ?? resolveAll);
    if (!check.ok) throw new AppError('validation_failed', check.message, { details: { reason: check.code } });
    const id = `ep_${randomId(12)}`;
    const secret = newWebhookSecret();
    await this.#deps.endpoints.create({ id, clientId: input.clientId, url: check.url, eventTypes: eventTypes as WebhookEventType[], secret });
    return { endpoint: (await this.#deps.endpoints.find(id))!, secret };
  }

  list(clientId?: string): Promise<WebhookEndpoint[]> {
    return this.#deps.endpoints.list(clientId);
  }

  /** A new secret; the replaced one keeps signing for the overlap (a second rotation keeps the newest two). */
  async rotateSecret(endpointId: string, now = Date.now()): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newWebhookSecret();
    if (!(await this.#deps.endpoints.rotateSecret(endpointId, secret, now + this.#deps.secretOverlapMs))) {
      throw new AppError('not_found', `No webhook endpoint ${endpointId}`);
    }
    return { endpoint: (await this.#deps.endpoints.find(endpointId))!, secret };
  }

  async delete(endpointId: string): Promise<void> {
    if (!(await this.#deps.endpoints.delete(endpointId))) throw new AppError('not_found', `No webhook endpoint ${endpointId}`);
  }

  async enable(endpointId: string, now = Date.now()): Promise<WebhookEndpoint> {
    if (!(await this.#deps.endpoints.enable(endpointId, now))) throw new AppError('not_found', `No webhook endpoint ${endpointId}`);
    return (await this.#deps.endpoints.find(endpointId))!;
  }

  /** Delivers an event again (same `webhook-id`) to every enabled endpoint of its client that subscribes to it. */
  async replay(eventId: string, now = Date.now()): Promise<{ webhookId: string; endpoints: number }> {
    const messageId = messageIdOf(eventId);
    if (!(await this.#deps.deliveries.findMessage(messageId))) throw new AppError('not_found', `No event ${eventId}`);
    return { webhookId: webhookId(messageId), endpoints: await this.#deps.deliveries.replay(messageId, now) };
  }

  async attempts(eventId: string): Promise<{ webhookId: string; deliveries: Delivery[]; attempts: AttemptRecord[] }> {
    const messageId = messageIdOf(eventId);
    if (!(await this.#deps.deliveries.findMessage(messageId))) throw new AppError('not_found', `No event ${eventId}`);
    const [deliveries, attempts] = await Promise.all([this.#deps.deliveries.deliveries(messageId), this.#deps.deliveries.attempts(messageId)]);
    return { webhookId: webhookId(messageId), deliveries, attempts };
  }
}
