import type { Environment, PublicEventPayload, PublicEventType, WebhookEventType } from '../verification/index.ts';

/** The job that makes one delivery attempt; its payload is `{ deliveryId }`. */
export const DELIVER_JOB = 'webhooks.deliver';
/** The recurring job that hands new outbox messages to the subscribed endpoints. */
export const DISPATCH_JOB = 'webhooks.dispatch';
/** At most one queued attempt job per delivery. */
export const deliverJobKey = (deliveryId: string) => `${DELIVER_JOB}:${deliveryId}`;

export type EndpointState = 'enabled' | 'disabled';
/** Why an endpoint stopped receiving: sustained failure, or the receiver answered 410 Gone. */
export type DisabledReason = 'failing' | 'gone';

export interface WebhookEndpoint {
  id: string;
  clientId: string;
  url: string;
  /** Subscribed event types; empty: every public event. */
  eventTypes: WebhookEventType[];
  state: EndpointState;
  disabledReason: DisabledReason | null;
  previousSecretExpiresAt: number | null;
  failingSince: number | null;
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewEndpoint {
  id: string;
  clientId: string;
  url: string;
  eventTypes: WebhookEventType[];
  secret: string;
}

/** Endpoints and their signing secrets (stored encrypted). */
export interface EndpointStore {
  create(endpoint: NewEndpoint): Promise<void>;
  find(id: string): Promise<WebhookEndpoint | undefined>;
  list(clientId?: string): Promise<WebhookEndpoint[]>;
  /** The secrets that sign now: the current one, then the previous one while its overlap lasts. */
  signingSecrets(id: string, now: number): Promise<string[]>;
  /** The current secret becomes the previous one until `previousValidUntil`; false when there is no such endpoint. */
  rotateSecret(id: string, secret: string, previousValidUntil: number): Promise<boolean>;
  /** Removes the endpoint and its pending deliveries (attempts stay as history). */
  delete(id: string): Promise<boolean>;
  /** Enabled again, failure count cleared; its parked deliveries start a fresh retry schedule now. */
  enable(id: string, now: number): Promise<boolean>;
}

/** An outbox message as delivery sees it. */
/** A message of the outbox: a session's public event, or one about the client's own webhook endpoints. */
export type OutboxMessage = { id: string; createdAt: number } & (
  | {
    eventType: PublicEventType;
    /** Rows written before `externalId` was part of the payload lack it. */
    payload: Omit<PublicEventPayload, 'externalId'> & { externalId?: string | null };
  }
  | { eventType: 'webhook.endpoint_disabled'; payload: EndpointDisabledPayload }
);

/** Which endpoint verid turned off, and why (`failing`: sustained failure; `gone`: it answered 410). */
export interface EndpointDisabledPayload {
  endpointId: string;
  reason: DisabledReason;
  disabledAt: number;
}

export interface Delivery {
  id: string;
  messageId: string;
  endpointId: string;
  sessionId: string | null;
  sequence: number;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  roundAttempts: number;
  version: number;
  nextAttemptAt: number;
}

/** What one attempt needs: the delivery, its message, its endpoint and the client's environment. */
export interface DeliveryContext {
  delivery: Delivery;
  message: OutboxMessage;
  endpoint: WebhookEndpoint;
  /** The owning client's environment; null when the client is gone (treated as production). */
  environment: Environment | null;
}

export interface AttemptRecord {
  messageId: string;
  endpointId: string;
  attempt: number;
  statusCode: number | null;
  errorCode: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  attemptedAt: number;
}

/** The outcome of one attempt, recorded in one transaction with the job that follows from it. */
export interface AttemptOutcome {
  attempt: AttemptRecord;
  /** delivered (2xx), pending again at `retryAt`, or dead (schedule exhausted). */
  status: 'delivered' | 'pending' | 'dead';
  retryAt: number | null;
  /** The endpoint's failure run ends (success) or grows; `disable` turns it off. */
  success: boolean;
  disable: DisabledReason | null;
}

/** Deliveries: one per outbox message and subscribed endpoint, and the attempts made. */
export interface DeliveryStore {
  /** Hands up to `limit` undelivered outbox messages to their client's enabled, subscribed endpoints; returns how many messages. */
  dispatch(limit: number, now: number): Promise<number>;
  load(deliveryId: string): Promise<DeliveryContext | undefined>;
  /** An earlier message of the same session is still pending for the same endpoint (it goes first). */
  hasEarlierPending(delivery: Delivery): Promise<boolean>;
  /** Makes sure an attempt job is queued for `runAt`. */
  schedule(deliveryId: string, runAt: number): Promise<void>;
  /**
   * Records the attempt; when the delivery is still at `version`, applies the outcome and queues what
   * follows (the retry, or the session's next message for this endpoint). False when it changed meanwhile.
   */
  recordAttempt(delivery: Delivery, outcome: AttemptOutcome): Promise<boolean>;
  /** Queues the message again, same webhook-id, for every enabled subscribed endpoint; returns how many. */
  replay(messageId: string, now: number): Promise<number>;
  attempts(messageId: string): Promise<AttemptRecord[]>;
  deliveries(messageId: string): Promise<Delivery[]>;
  findMessage(messageId: string): Promise<OutboxMessage | undefined>;
}
