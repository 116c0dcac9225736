export { deliverWebhook } from './deliver-webhook.ts';
export type { DeliveryDeps, DeliverySettings } from './deliver-webhook.ts';
export { installWebhooks } from './install-webhooks.ts';
export { checkEndpointUrl, isAddressAllowed, parseOutboundPolicy } from './outbound-policy.ts';
export type { OutboundPolicy, UrlCheck, UrlRefusal } from './outbound-policy.ts';
export { DELIVER_JOB, DISPATCH_JOB } from './ports.ts';
export type {
  AttemptOutcome, AttemptRecord, Delivery, DeliveryContext, DeliveryStore, EndpointStore, NewEndpoint, OutboxMessage, WebhookEndpoint,
} from './ports.ts';
export { nextAttemptAt, parseRetrySchedule } from './retry-schedule.ts';
export { messageIdOf, webhookBody, webhookId } from './webhook-body.ts';
export type { WebhookBody } from './webhook-body.ts';
export { WebhookService } from './webhook-service.ts';
export { newWebhookSecret, signWebhook } from './webhook-signer.ts';
export { createWebhookPost, guardedLookup } from './webhook-transport.ts';
export type { PostResult, WebhookPost } from './webhook-transport.ts';
