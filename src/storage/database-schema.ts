import type { Generated } from 'kysely';

/** Row shapes of every table. Times are epoch milliseconds; blobs are AES-GCM envelopes. */
export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OidcClientTable {
  client_id: string;
  name: string;
  environment: string;
  metadata: string;
  secret_hash: string | null;
  secret_encrypted: Uint8Array | null;
  previous_secret_hash: string | null;
  previous_secret_expires_at: number | null;
  /** JSON [{hash, expiresAt}]: every rotated-out secret still inside its own grace period. */
  previous_secrets: string | null;
  created_at: number;
  updated_at: number;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  state: 'next' | 'current' | 'retired';
  public_jwk: string;
  private_jwk_encrypted: Uint8Array;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
  /** When a retired key may be removed from the JWKS: the last token it signed has expired. */
  remove_after: number | null;
}

export interface IdentityTable {
  id: string;
  lookup_key: string;
  claims_encrypted: Uint8Array;
  face_template_encrypted: Uint8Array | null;
  email_index: string | null;
  created_at: number;
  updated_at: number;
  last_verified_at: number;
  /** When the identity was erased: only this stub (id, timestamps) is left. */
  erased_at: number | null;
  /** demo or production: the environment of the enrolments; the duplicate search stays within one. */
  environment: Generated<string>;
}

export interface VerificationSessionTable {
  id: string;
  interview_code: string;
  token_hash: string;
  origin: string;
  mode: string;
  environment: string;
  state: string;
  client_id: string | null;
  interaction_uid: string | null;
  external_id: string | null;
  login_hint_encrypted: Uint8Array | null;
  expected_name_encrypted: Uint8Array | null;
  identity_id: string | null;
  scores: string | null;
  document_encrypted: Uint8Array | null;
  consent_at: number | null;
  consent_version: string | null;
  external_customer_id: string | null;
  configuration_id: string | null;
  redirection_url: string | null;
  notification: string | null;
  /** The candidate's name, e-mail and phone from /omni/start (PII: encrypted). */
  candidate_encrypted: Uint8Array | null;
  /** B2B: the employee (employees.id) this session verifies, and why it was requested. */
  employee_id: string | null;
  b2b_reason: string | null;
  /** Language of the message that carries the link (`en`, `es`); null: not given (English). */
  language: string | null;
  /** The capture token of the link verid sends (EMAIL / SMS), encrypted; null when verid sends none or the token was revoked. */
  link_token_encrypted: Uint8Array | null;
  /** Link delivery: `queued`, `sent` or `failed`; null when verid sends no link. */
  delivery_status: string | null;
  delivery_attempts: Generated<number>;
  /** When the session's personal data (images, document data, names) was erased; the record stays. */
  erased_at: number | null;
  reasons: string;
  expires_at: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  document_attempts: Generated<number>;
  face_attempts: Generated<number>;
}

export interface EmployeeTable {
  id: string;
  client_id: string;
  environment: string;
  employee_id: string | null;
  /** Keyed hash of the lower-cased e-mail (lookups); the e-mail itself is in directory_encrypted. */
  email_index: string | null;
  /** Keyed hash of the lower-cased SCIM userName (employee-repository.ts userNameOf); null on rows not yet indexed. */
  user_name_index: string | null;
  /** JSON {employeeId, email, displayName, phone} (PII: encrypted). */
  directory_encrypted: Uint8Array;
  identity_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A broker's user (Entra tenant + subject) bound to a verid identity, per client. */
export interface BrokerSubjectTable {
  id: string;
  client_id: string;
  /** Keyed hash of `subject` (lookups). */
  subject_index: string;
  /** The broker's `{tenant}:{sub}` (encrypted). */
  subject_encrypted: Uint8Array;
  identity_id: string;
  created_at: number;
  updated_at: number;
}

/** SCIM 2.0 Group of an API client (RFC 7643 §4.2); its display name is organisational, not personal, data. */
export interface ScimGroupTable {
  id: string;
  client_id: string;
  display_name: string;
  external_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A group's member: one of the same client's employees (employees.id). */
export interface ScimGroupMemberTable {
  group_id: string;
  employee_id: string;
}

export interface LivenessChallengeTable {
  id: string;
  session_id: string;
  /** JSON array of challenge steps, e.g. ["turn_left","blink","turn_right"]. */
  steps: string;
  issued_at: number;
  expires_at: number;
  completed_at: number | null;
  status: 'issued' | 'passed' | 'failed' | 'superseded';
  /** JSON: status, reasons, passive scores; no PII. */
  result: string | null;
  frames_encrypted: Uint8Array | null;
  /** How many steps have been shown to the client (the first at issue). */
  revealed: number;
  step_revealed_at: number;
  subject_key: string | null;
}

/** Frames of an open challenge, one row per chunk received; deleted when the challenge completes. */
export interface LivenessFrameTable {
  id: string;
  challenge_id: string;
  step: number;
  received_at: number;
  frame_count: number;
  /** The chunk's images, length-prefixed, encrypted. */
  frames_encrypted: Uint8Array;
}

/** Keyed digests of every frame ever received, to recognise a re-used frame. */
export interface LivenessFrameDigestTable {
  digest: string;
  challenge_id: string;
  created_at: number;
  /** Id of the master key the digest was computed with (DataCipher.keyId); null: written before it was recorded. */
  key_id: string | null;
}

export interface VerificationEventTable {
  id: Generated<number>;
  session_id: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  data: string;
  created_at: number;
}

export interface SessionImageTable {
  session_id: string;
  kind: string;
  content_type: string;
  data_encrypted: Uint8Array;
  created_at: number;
}

export interface WebhookOutboxTable {
  id: string;
  session_id: string | null;
  client_id: string | null;
  event_type: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  /** Order of the message among its session's messages (1, 2, …); deliveries keep it per endpoint. */
  sequence: number | null;
  /** When the message was handed to delivery (one delivery row per subscribed endpoint). */
  dispatched_at: number | null;
}

export interface WebhookEndpointTable {
  id: string;
  client_id: string;
  url: string;
  /** JSON array of subscribed event types; empty: all public events. */
  event_types: string;
  secret_encrypted: Uint8Array;
  previous_secret_encrypted: Uint8Array | null;
  previous_secret_expires_at: number | null;
  state: 'enabled' | 'disabled';
  disabled_reason: string | null;
  /** First failed attempt since the last success (null: the last attempt succeeded). */
  failing_since: number | null;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  message_id: string;
  endpoint_id: string;
  session_id: string | null;
  sequence: number;
  status: 'pending' | 'delivered' | 'dead';
  /** Attempts ever made (numbering of webhook_attempts). */
  attempts: number;
  /** Attempts since the delivery was (re)queued: the retry schedule's position. */
  round_attempts: number;
  /** Bumped on every change: an attempt's outcome is recorded only against the version it started from. */
  version: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptTable {
  id: string;
  message_id: string;
  endpoint_id: string;
  attempt: number;
  status_code: number | null;
  error_code: string | null;
  latency_ms: number;
  /** The first ~200 bytes of the response body (never the request body). */
  response_excerpt: string | null;
  attempted_at: number;
}

export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  status: 'queued' | 'running' | 'dead';
  unique_key: string | null;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** One row (id 1): raised by triggers on every change to what the OIDC endpoints keep in memory (read-cache.ts). */
export interface ReadEpochTable {
  id: number;
  value: number;
}

export interface Database {
  oidc_payloads: OidcPayloadTable;
  oidc_clients: OidcClientTable;
  signing_keys: SigningKeyTable;
  identities: IdentityTable;
  verification_sessions: VerificationSessionTable;
  employees: EmployeeTable;
  broker_subjects: BrokerSubjectTable;
  scim_groups: ScimGroupTable;
  scim_group_members: ScimGroupMemberTable;
  verification_events: VerificationEventTable;
  session_images: SessionImageTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  liveness_challenges: LivenessChallengeTable;
  liveness_frames: LivenessFrameTable;
  liveness_frame_digests: LivenessFrameDigestTable;
  jobs: JobTable;
  read_epoch: ReadEpochTable;
}
