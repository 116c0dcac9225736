import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutboxMessage } from './ports.ts';
import type { VerificationSession } from './session.ts';
import { canTransition, SESSION_STATES, type SessionState } from './session-state.ts';
import { startSession, transitionGate } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

function session(state: SessionState): VerificationSession {
  return {
    interviewId: 'i1', interviewCode: 'ABC234', origin: 'omni', mode: 'enroll', environment: 'demo', state, clientId: 'client-1',
    interactionUid: null, externalId: null, identityId: null, scores: null, reasons: ['earlier'], expiresAt: 0, createdAt: 0, updatedAt: 0,
    completedAt: null, documentAttempts: 0, faceAttempts: 0, consentAt: null, consentVersion: null,
    externalCustomerId: null, configurationId: null, redirectionUrl: null, notification: null, employeeId: null, b2bReason: null, language: null, delivery: null,
  };
}

test('the gate lets through exactly the transitions of the table, for every pair of states', async () => {
  let allowed = 0;
  for (const from of SESSION_STATES) {
    for (const to of SESSION_STATES) {
      const calls: Array<[string, string]> = [];
      const store = { transition: async (_id: string, f: SessionState, t: SessionState) => { calls.push([f, t]); return true; } };
      const attempt = transitionGate(store, session(from), to, { type: 'processing.aborted', data: {} });
      if (canTransition(from, to)) {
        assert.equal(await attempt, true, `${from} -> ${to}`);
        assert.deepEqual(calls, [[from, to]]);
        allowed++;
      } else {
        await assert.rejects(attempt, (error: { code?: string }) => error.code === 'invalid_state', `${from} -> ${to} must be refused`);
        assert.deepEqual(calls, [], `${from} -> ${to} never reaches the store`);
      }
    }
  }
  // The table in session-state.ts (and docs/sessions.md): 30 allowed moves out of 144 pairs.
  assert.equal(allowed, 30);
  for (const end of ['expired', 'closed'] as const) assert.ok(SESSION_STATES.every((to) => !canTransition(end, to)), `${end} is final`);
});

test('public events go to the outbox with ids and states only; internal ones do not', async () => {
  const written: Array<OutboxMessage | undefined> = [];
  const store = {
    transition: async (...args: [string, SessionState, SessionState, unknown, unknown, OutboxMessage | undefined]) => { written.push(args[5]); return true; },
  };
  await transitionGate(store, session('processing'), 'failed', { type: 'session.failed', data: { reasons: ['face_mismatch'] } }, { reasons: ['face_mismatch'] });
  await transitionGate(store, session('id_captured'), 'face_captured', { type: 'image.added', data: { kind: 'face', contentType: 'image/jpeg', bytes: 10 } });
  assert.deepEqual(written, [{
    eventType: 'session.failed', clientId: 'client-1',
    payload: { interviewId: 'i1', externalId: null, clientId: 'client-1', origin: 'omni', environment: 'demo', state: 'failed', reasons: ['face_mismatch'] },
  }, undefined]);
});

test('a taken interview code is drawn again; every draw is 8 characters', async () => {
  const codes: string[] = [];
  const sessions = {
    create: async (input: { interviewCode: string; interviewId: string }) => {
      codes.push(input.interviewCode);
      return codes.length < 3 ? undefined : { ...session('created'), interviewId: input.interviewId, interviewCode: input.interviewCode };
    },
  };
  const deps = { sessions, sessionTtlSeconds: 60 } as unknown as VerificationDeps;
  const input = { origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null } as const;
  const { session: created } = await startSession(deps, input);
  assert.equal(codes.length, 3);
  assert.equal(created.interviewCode, codes[2]);
  assert.ok(codes.every((code) => /^[A-HJ-NP-Z2-9]{8}$/.test(code)), codes.join());
  const full = { ...deps, sessions: { create: async () => undefined } } as unknown as VerificationDeps;
  await assert.rejects(startSession(full, input), /no free interview code/);
});
