import { AppError } from '../errors/index.ts';
import { documentOutcome, documentValidation } from './decision-policy.ts';
import type { DocumentRecord } from './ports.ts';
import { documentPolicy, DEFAULT_FLOW, type Flow } from './flows.ts';
import { emptyScores, type Scores } from './scores.ts';
import type { VerificationSession } from './session.ts';
import { assertCapturing, failForAttempts, reload, transition } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

export interface ProcessIdResult {
  session: VerificationSession;
  /** The record just written: it always says whether the machine-readable data is valid. */
  record: DocumentRecord & { dataValid: boolean };
  /** The document's scores as the decision will see them (decision-policy.ts documentValidation). */
  validation: Scores['idValidation'];
}

/** The session's flow; a session of a flow no longer configured is held to the default. */
function flowOf(deps: VerificationDeps, session: VerificationSession): Flow {
  return (session.configurationId && deps.flows.get(session.configurationId)) || DEFAULT_FLOW;
}

/**
 * Reads the document (front, and back when uploaded): MRZ or PDF417, check digits, dates, quality.
 * Repeatable after a better photo; a capture problem that persists past the attempt limit fails the session.
 */
export async function processId(deps: VerificationDeps, session: VerificationSession): Promise<ProcessIdResult> {
  assertCapturing(session);
  if (session.mode === 'reverify') throw new AppError('invalid_state', 'A re-verification has no document to process');
  const front = await deps.sessions.loadImage(session.interviewId, 'front');
  if (!front) throw new AppError('invalid_state', 'Upload the front of the ID before processing it');
  const back = await deps.sessions.loadImage(session.interviewId, 'back');
  const reading = await deps.documents.read(front.data, back?.data);
  const expectedName = await deps.sessions.loadExpectedName(session.interviewId);
  const nameCheck = expectedName && reading.fields ? deps.documents.matchName(expectedName, reading.fields) : null;
  const policy = reading.fields ? documentPolicy(reading.fields, session.environment, flowOf(deps, session)) : { items: [], reasons: [] };
  const record: DocumentRecord & { dataValid: boolean } = {
    fields: reading.fields && {
      documentType: reading.fields.documentType, issuingCountry: reading.fields.issuingCountry, nationality: reading.fields.nationality,
      documentNumber: reading.fields.documentNumber, surname: reading.fields.surname, givenNames: reading.fields.givenNames,
      birthDate: reading.fields.birthDate, expiryDate: reading.fields.expiryDate, sex: reading.fields.sex,
    },
    mrzValid: reading.mrzValid,
    dataValid: reading.dataValid,
    items: [...reading.items, ...(nameCheck ? [nameCheck.item] : []), ...policy.items],
    quality: reading.quality ?? [],
    reasons: [...reading.reasons, ...(nameCheck?.reasons ?? []), ...policy.reasons],
    // No document found at all is treated as a capture problem too: most often the photo missed it.
    retryable: reading.reasons.length > 0 && (Boolean(reading.retryable) || reading.fields === null),
  };
  await deps.sessions.saveDocument(session.interviewId, record);
  const attempts = await deps.sessions.countAttempt(session.interviewId, 'document');
  const validation = documentValidation(documentOutcome(record));
  const scores: Scores = { ...emptyScores(), reasons: record.reasons, idValidation: validation };
  const status = validation.overall.status;
  await transition(deps, session, session.state, { type: 'document.processed', data: { status, reasons: record.reasons, attempt: attempts } }, { scores });
  const current = await reload(deps, session);
  if (record.retryable && attempts >= deps.maxCaptureAttempts) {
    return { session: await failForAttempts(deps, current, record.reasons), record: { ...record, retryable: false }, validation };
  }
  return { session: current, record, validation };
}
