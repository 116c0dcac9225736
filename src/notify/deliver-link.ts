import type { JobLog } from '../jobs/job-runner.ts';
import type { Job } from '../jobs/job-store.ts';
import { isDeliveryChannel, isOpen, recordAttempt, type AttemptOutcome, type SessionStore } from '../verification/index.ts';
import { linkEmail, linkSms, type LinkMessageInput } from './link-message.ts';
import type { Mailer, SmsProvider } from './ports.ts';

export interface LinkDeliveryDeps {
  sessions: Pick<SessionStore, 'findById' | 'loadCandidate' | 'loadLinkToken' | 'recordLinkAttempt'>;
  /** The registered name of the API client that started the session. */
  clientName(clientId: string): Promise<string | null>;
  /** Null: the channel is not configured (a session queued before it was removed fails with `channel_unavailable`). */
  mailer: Mailer | null;
  sms: SmsProvider | null;
  /** Base URL of the hosted page (the issuer). */
  publicUrl: string;
  organisation: string;
  log: JobLog;
}

/** Thrown to have the jobs runner try again later; carries a reason code only (the runner logs it). */
export class LinkDeliveryRetry extends Error {
  readonly code: string;

  constructor(reason: string) {
    super(`link delivery will be retried: ${reason}`);
    this.name = 'LinkDeliveryRetry';
    this.code = reason;
  }
}

/**
 * The `link.deliver` job: sends an open session's link through its channel and records the try.
 * Everything about the person (address, number, name) is read here, used for the message and
 * dropped: the job's payload, the events, the logs and any error hold ids and reason codes only.
 */
export async function deliverLink(deps: LinkDeliveryDeps, job: Job): Promise<void> {
  const interviewId = job.payload.interviewId;
  if (typeof interviewId !== 'string') return;
  const session = await deps.sessions.findById(interviewId);
  const channel = session?.notification ?? null;
  if (!session || !isDeliveryChannel(channel)) return;
  if (!isOpen(session.state) || session.expiresAt <= Date.now()) {
    // Decided, expired or erased before the link went out: there is nothing left to open.
    deps.log.info({ interviewId, channel, state: session.state }, 'link not sent: the session is no longer open');
    return;
  }
  const [candidate, token, clientName] = await Promise.all([
    deps.sessions.loadCandidate(interviewId), deps.sessions.loadLinkToken(interviewId), session.clientId ? deps.clientName(session.clientId) : null,
  ]);
  const input: LinkMessageInput = {
    language: session.language ?? 'en', organisation: deps.organisation, clientName: clientName ?? deps.organisation,
    candidateName: candidate?.name ?? null, url: `${deps.publicUrl}/verify#token=${token}`, interviewCode: session.interviewCode, expiresAt: session.expiresAt,
  };
  let outcome: AttemptOutcome;
  if (!token) outcome = { kind: 'failed', reason: 'link_revoked', retryable: false };
  else if (channel === 'EMAIL') {
    outcome = !deps.mailer ? { kind: 'failed', reason: 'channel_unavailable', retryable: false }
      : !candidate?.email ? { kind: 'failed', reason: 'no_address', retryable: false }
        : await deps.mailer.send({ to: candidate.email, ...linkEmail(input) });
  } else {
    outcome = !deps.sms ? { kind: 'failed', reason: 'channel_unavailable', retryable: false }
      : !candidate?.phone ? { kind: 'failed', reason: 'no_address', retryable: false }
        : await deps.sms.send({ to: candidate.phone, body: linkSms(input) });
  }
  const next = await recordAttempt(deps.sessions, session, channel, { number: job.attempts, max: job.maxAttempts }, outcome);
  const summary = { interviewId, channel, attempt: job.attempts, ...(outcome.kind === 'failed' ? { reason: outcome.reason } : {}) };
  if (outcome.kind === 'sent') deps.log.info(summary, 'link sent');
  else if (next === 'done') deps.log.error(summary, 'link delivery failed for good');
  if (next === 'retry' && outcome.kind === 'failed') throw new LinkDeliveryRetry(outcome.reason);
}
