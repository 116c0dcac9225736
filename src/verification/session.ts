import type { LinkDelivery } from './link-delivery.ts';
import type { SessionState } from './session-state.ts';
import type { Scores } from './scores.ts';

export type SessionOrigin = 'oidc' | 'b2b' | 'omni';
export type SessionMode = 'enroll' | 'reverify' | 'auto';
export type Environment = 'demo' | 'production';
export type ImageKind = 'front' | 'back' | 'face';

/** The verification session aggregate (wire names follow the Omni API). Holds no PII itself. */
export interface VerificationSession {
  interviewId: string;
  interviewCode: string;
  origin: SessionOrigin;
  mode: SessionMode;
  environment: Environment;
  state: SessionState;
  clientId: string | null;
  interactionUid: string | null;
  externalId: string | null;
  identityId: string | null;
  scores: Scores | null;
  reasons: string[];
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  documentAttempts: number;
  faceAttempts: number;
  /** When the person agreed to the processing (before any capture), and which text they saw. */
  consentAt: number | null;
  consentVersion: string | null;
  /** Omni Start: the caller's own references, the named flow, where the person goes afterwards, how the link was sent. */
  externalCustomerId: string | null;
  configurationId: string | null;
  redirectionUrl: string | null;
  notification: Notification | null;
  /** Language of the message that carries the link; null: English. */
  language: Language | null;
  /** Where the link delivery stands; null when verid sends no link (notification NONE). */
  delivery: LinkDelivery | null;
  /** B2B: the employee this session verifies (employees.id) and why it was requested. */
  employeeId: string | null;
  b2bReason: string | null;
}

/** Languages verid writes its messages to the person in. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Notification = 'EMAIL' | 'SMS' | 'NONE';

/** Who an API client started a session for (PII: stored encrypted; the name feeds the name match). */
export interface Candidate {
  name?: string;
  email?: string;
  phone?: string;
}

/** What the document said (PII: stored encrypted, never logged, never in events or webhooks). */
export interface DocumentData {
  documentType: 'passport' | 'id_card' | 'driver_licence' | 'unknown';
  issuingCountry: string;
  nationality: string;
  documentNumber: string;
  surname: string;
  givenNames: string;
  birthDate: string | null;
  expiryDate: string | null;
  sex: 'M' | 'F' | 'X';
}
