import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_EVENT_TYPES } from '../verification/index.ts';
import { messageIdOf, webhookBody, webhookId, type SessionWebhookBody } from './webhook-body.ts';

test('every public event has the onboardingStatus of the state it leads to (or is in), as GET /omni/get/onboarding/status says', () => {
  const expected = {
    'session.succeeded': ['succeeded', 'ONBOARDING_FINISHED'], 'session.failed': ['failed', 'ONBOARDING_FINISHED'],
    'session.pending_review': ['pending_review', 'ONBOARDING_FINISHED'], 'review.approved': ['approved', 'MANUAL_REVIEW_APPROVED'],
    'review.rejected': ['rejected', 'MANUAL_REVIEW_REJECTED'], 'session.expired': ['expired', 'EXPIRED'], 'session.closed': ['closed', 'ONBOARDING_FINISHED'],
    // Not a state change: the session's state when the link could not be sent (the person never got it).
    'link.delivery_failed': ['created', 'UNKNOWN'],
  } as const;
  assert.deepEqual(Object.keys(expected).sort(), [...PUBLIC_EVENT_TYPES].sort());
  for (const [type, [state, status]] of Object.entries(expected)) {
    const body = webhookBody({
      id: 'm', eventType: type as keyof typeof expected, createdAt: 0,
      payload: { interviewId: 'i', clientId: null, origin: 'omni', environment: 'demo', state, reasons: [], externalId: null },
    });
    assert.equal((body as SessionWebhookBody).data.onboardingStatus, status, type);
  }
});

test('the body carries ids and statuses only: clientId and origin of the outbox payload stay inside', () => {
  const body = webhookBody({
    id: 'm1', eventType: 'review.rejected', createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    payload: { interviewId: 'i1', clientId: 'c1', origin: 'omni', environment: 'production', state: 'rejected', reasons: ['document_checked_by_hand'], externalId: 'cand-7' },
  });
  assert.deepEqual(body, {
    type: 'review.rejected', timestamp: '2026-01-02T03:04:05.000Z',
    data: { interviewId: 'i1', externalId: 'cand-7', environment: 'production', state: 'rejected', onboardingStatus: 'MANUAL_REVIEW_REJECTED', reasons: ['document_checked_by_hand'] },
  });
  const older = webhookBody({
    id: 'm0', eventType: 'session.expired', createdAt: 0,
    payload: { interviewId: 'i0', clientId: null, origin: 'oidc', environment: 'demo', state: 'expired', reasons: [] },
  });
  assert.equal((older as SessionWebhookBody).data.externalId, null, 'an outbox row from before externalId was in the payload');
  assert.equal(webhookId('m1'), 'msg_m1');
  assert.equal(messageIdOf('msg_m1'), 'm1');
  assert.equal(messageIdOf('m1'), 'm1');
});

test('webhook.endpoint_disabled names the endpoint and why, nothing else', () => {
  const body = webhookBody({ id: 'm9', eventType: 'webhook.endpoint_disabled', createdAt: 0, payload: { endpointId: 'we_1', reason: 'failing', disabledAt: 1000 } });
  assert.deepEqual(body, {
    type: 'webhook.endpoint_disabled', timestamp: '1970-01-01T00:00:00.000Z', data: { endpointId: 'we_1', reason: 'failing', disabledAt: '1970-01-01T00:00:01.000Z' },
  });
});
