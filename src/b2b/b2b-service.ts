import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { ApiCaller } from '../api/api-auth.ts';
import { AppError } from '../errors/index.ts';
import { verifiedClaims } from '../oidc/account-claims.ts';
import type { Directory, EmployeeKey, EmployeeRecord, EmployeeRepository, SigningKeyRepository } from '../storage/index.ts';
import type { IdentityStore, Notification, VerificationService, VerificationSession } from '../verification/index.ts';
import { isOpen, isVerified } from '../verification/index.ts';

export const B2B_REASONS = ['helpdesk', 'privileged_access', 'itsm', 'other'] as const;
export type B2bReason = (typeof B2B_REASONS)[number];

export interface VerificationRequest {
  employee: EmployeeKey;
  reason: B2bReason;
  reference: string | null;
  mode: 'reverify' | 'enroll' | 'auto';
  notification: Notification;
  expiresInSeconds: number | null;
  /** CIBA: the backchannel authentication request this verification answers. */
  cibaRequestId?: string;
}

export interface B2bDependencies {
  employees: EmployeeRepository;
  verification: VerificationService;
  identities: Pick<IdentityStore, 'findFaceTemplate' | 'findClaims'>;
  /** The OIDC4IDA trust framework verid states (VERID_TRUST_FRAMEWORK). */
  trustFramework: string;
  keys: SigningKeyRepository;
  issuer: string;
  /** Default lifetime of a B2B request (a help-desk call is minutes, not days). */
  requestTtlSeconds: number;
  linkDeliveryAttempts: number;
  deliveryChannels: ReadonlySet<'EMAIL' | 'SMS'>;
}

/** Sessions that bind an employee: an enrolment of theirs that ended with a verified identity. */
const BINDING_STATES = ['succeeded', 'approved', 'closed'] as const;

/**
 * The B2B use cases: an API client keeps its directory of employees and asks verid to verify one
 * now. An employee is bound to the identity of their first successful enrolment (document + selfie,
 * the document's name matched against the directory name); later requests re-verify with a selfie
 * against that face. Only the client that owns the employee can name them: this is the trusted
 * binding a selfie-only re-verification needs (docs/security.md).
 */
export class B2bService {
  readonly #deps: B2bDependencies;
  #signer: { kid: string; alg: string; key: Awaited<ReturnType<typeof importJWK>>; until: number } | undefined;

  constructor(deps: B2bDependencies) {
    this.#deps = deps;
  }

  async upsertEmployee(caller: ApiCaller, directory: Directory): Promise<{ employee: EmployeeRecord; created: boolean }> {
    if (directory.employeeId === null && directory.email === null) {
      throw new AppError('validation_failed', 'an employee needs an employeeId or an email', { details: { field: 'body/employeeId' } });
    }
    const saved = await this.#deps.employees.upsert(caller.clientId, caller.environment, randomUUID(), directory);
    if (!saved) {
      throw new AppError('conflict', 'another employee already has this employeeId or email', { details: { field: directory.employeeId ? 'body/email' : 'body/employeeId' } });
    }
    return { employee: await this.#withBinding(saved.record), created: saved.created };
  }

  /** The caller's employee; another client's, or none, is the same 404. */
  async employee(caller: ApiCaller, key: EmployeeKey): Promise<EmployeeRecord> {
    const found = await this.#deps.employees.find(caller.clientId, key);
    if (!found) throw new AppError('not_found', 'No such employee for this client', { details: { field: 'employee' } });
    return this.#withBinding(found);
  }

  /** The caller's employees with this SCIM userName (case-insensitive), by its keyed hash. */
  async employeesByUserName(caller: ApiCaller, userName: string): Promise<EmployeeRecord[]> {
    return Promise.all((await this.#deps.employees.findByUserName(caller.clientId, userName)).map((found) => this.#withBinding(found)));
  }

  async listEmployees(caller: ApiCaller, limit: number, after?: { createdAt: number; id: string }): Promise<EmployeeRecord[]> {
    return this.#deps.employees.list(caller.clientId, limit, after);
  }

  /**
   * Removes the employee and erases the biometric data bound to them (the identity's face template
   * and claims, and their sessions' images), unless the same person is also an employee of another
   * client (then only this record goes).
   */
  async deleteEmployee(caller: ApiCaller, id: string): Promise<void> {
    const employee = await this.employee(caller, { id });
    await this.#deps.employees.delete(employee.id);
    if (employee.identityId) await this.#eraseUnlessBoundElsewhere(employee.identityId);
  }

  /** Replaces an employee's directory data (SCIM). */
  async replaceEmployee(caller: ApiCaller, id: string, directory: Directory): Promise<EmployeeRecord> {
    const employee = await this.employee(caller, { id });
    if (!(await this.#deps.employees.replace(employee.id, directory))) {
      throw new AppError('conflict', 'another employee already has this employeeId or email', { details: { field: 'userName' } });
    }
    return this.employee(caller, { id });
  }

  /**
   * Deprovisioned (SCIM active=false): the record stays, the biometric data bound to it is erased
   * (as on delete) and the binding forgotten, so a later verification enrols again.
   */
  async deactivateEmployee(caller: ApiCaller, id: string): Promise<void> {
    const employee = await this.employee(caller, { id });
    if (!employee.identityId) return;
    await this.#deps.employees.unbind(employee.id);
    await this.#eraseUnlessBoundElsewhere(employee.identityId);
  }

  async #eraseUnlessBoundElsewhere(identityId: string): Promise<void> {
    if ((await this.#deps.employees.countBoundTo(identityId)) > 0) return;
    await this.#deps.verification.eraseIdentity(identityId).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
    });
  }

  /** Starts a verification of the employee: enrolment (document + selfie) or a selfie against their bound face. */
  async request(caller: ApiCaller, input: VerificationRequest): Promise<{ session: VerificationSession; token: string; employee: EmployeeRecord }> {
    const employee = await this.employee(caller, input.employee);
    if (employee.scim && !employee.scim.active) {
      throw new AppError('invalid_state', 'This employee is deprovisioned (inactive in the directory)', { details: { field: 'body/employee' } });
    }
    const enrolled = employee.identityId !== null && (await this.#deps.identities.findFaceTemplate(employee.identityId)) !== undefined;
    const mode = input.mode === 'auto' ? (enrolled ? 'reverify' : 'enroll') : input.mode;
    if (mode === 'reverify' && !enrolled) {
      throw new AppError('invalid_state', 'This employee has not been verified with a document yet: request mode enroll (or auto)', { details: { field: 'body/mode' } });
    }
    if (mode === 'enroll' && employee.identityId !== null) {
      throw new AppError('invalid_state', 'This employee is already enrolled: request mode reverify (or auto); to enrol again, delete and re-create the employee', { details: { field: 'body/mode' } });
    }
    if (input.notification !== 'NONE') {
      if (!this.#deps.deliveryChannels.has(input.notification)) {
        throw new AppError('validation_failed', `this server cannot send links by ${input.notification}`, { details: { field: 'body/notification' } });
      }
      if (input.notification === 'EMAIL' ? !employee.email : !employee.phone) {
        throw new AppError('validation_failed', `the employee has no ${input.notification === 'EMAIL' ? 'email' : 'phone'} in the directory`, { details: { field: 'body/notification' } });
      }
    }
    const { session, token } = await this.#deps.verification.start({
      origin: 'b2b', mode, identityId: mode === 'reverify' ? employee.identityId : null, environment: caller.environment, clientId: caller.clientId,
      // A CIBA request's session carries its id (answerCibaOnPoll in ciba.ts reads it back).
      interactionUid: input.cibaRequestId ? `ciba:${input.cibaRequestId}` : null,
      loginHint: null, externalId: input.reference, employeeId: employee.id, b2bReason: input.reason,
      // The document's name must match the directory's (near matches go to review).
      expectedName: mode === 'enroll' ? employee.displayName : null,
      notification: input.notification, language: null,
      candidate: input.notification === 'NONE' ? null : { name: employee.displayName, ...(employee.email ? { email: employee.email } : {}), ...(employee.phone ? { phone: employee.phone } : {}) },
      linkDelivery: input.notification === 'NONE' ? null : { maxAttempts: this.#deps.linkDeliveryAttempts },
      ttlSeconds: input.expiresInSeconds ?? this.#deps.requestTtlSeconds,
    });
    return { session, token, employee };
  }

  /** The caller's B2B session (404 for another client's, or one that is not B2B). */
  async session(caller: ApiCaller, interviewId: string): Promise<VerificationSession> {
    const session = await this.#deps.verification.find(interviewId);
    if (!session || session.clientId !== caller.clientId || session.origin !== 'b2b') {
      throw new AppError('not_found', 'No verification with this id for this client', { details: { field: 'interviewId' } });
    }
    return session;
  }

  async employeeOf(caller: ApiCaller, session: VerificationSession): Promise<EmployeeRecord | undefined> {
    if (!session.employeeId) return undefined;
    const found = await this.#deps.employees.find(caller.clientId, { id: session.employeeId });
    return found && this.#withBinding(found);
  }

  /**
   * A signed statement of an ended verification — decided, expired or cancelled (JWT, verid's
   * signing key, checkable offline against /oauth2/jwks): who (identity, employee), the outcome, how
   * and when. Null while open.
   */
  async receipt(caller: ApiCaller, session: VerificationSession, employee: EmployeeRecord | undefined): Promise<string | null> {
    if (isOpen(session.state)) return null;
    const key = await this.#signingKey();
    const live = session.scores?.liveness.activeChallenge === 'OK';
    const verified = isVerified(session);
    // The verified claims (names, birth date, document) only for a client allowed to read document data.
    const identity = verified && session.identityId && caller.scopes.has('documents:read') ? await this.#deps.identities.findClaims(session.identityId) : undefined;
    return new SignJWT({
      ...(identity ? { verified_claims: verifiedClaims(identity, this.#deps.trustFramework, undefined) } : {}),
      typ_verification: 'verid-b2b-receipt',
      verification: {
        interview_id: session.interviewId, outcome: verified ? 'verified' : 'not_verified', state: session.state, reasons: session.reasons,
        mode: session.mode, reason: session.b2bReason, reference: session.externalId, environment: session.environment,
        amr: verified ? (live ? ['face', 'user'] : ['face']) : [], time: Math.floor((session.completedAt ?? session.updatedAt) / 1000),
      },
      employee: employee ? { id: employee.id, employee_id: employee.employeeId } : null,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.#deps.issuer)
      .setAudience(caller.clientId)
      .setSubject(verified && session.identityId ? session.identityId : `interview:${session.interviewId}`)
      .setJti(session.interviewId)
      .setIssuedAt()
      .sign(key.key);
  }

  /**
   * The current signing key (RS256 first), imported once and kept for a minute: a list of receipts
   * signs with one key read. A rotated-in key signs only after it has been published for
   * VERID_KEY_PUBLISH_SECONDS, and a rotated-out one stays published, so a minute-old choice verifies.
   */
  async #signingKey(now = Date.now()): Promise<{ kid: string; alg: string; key: Awaited<ReturnType<typeof importJWK>> }> {
    if (this.#signer && this.#signer.until > now) return this.#signer;
    const keys = await this.#deps.keys.list();
    const record = keys.find((k) => k.state === 'current' && k.alg === 'RS256') ?? keys.find((k) => k.state === 'current');
    if (!record) throw new Error('no current signing key');
    this.#signer = { kid: record.kid, alg: record.alg, key: await importJWK(record.privateJwk as JWK, record.alg), until: now + 60_000 };
    return this.#signer;
  }

  async cancel(caller: ApiCaller, interviewId: string): Promise<VerificationSession> {
    const session = await this.session(caller, interviewId);
    return this.#deps.verification.cancel(session);
  }

  /** Binds an unbound employee to the identity of their first successful enrolment (once; compare-and-set). */
  async #withBinding(employee: EmployeeRecord): Promise<EmployeeRecord> {
    if (employee.identityId !== null) return employee;
    const sessions = await this.#deps.verification.listForClient(employee.clientId, { origin: 'b2b', employeeId: employee.id, states: [...BINDING_STATES] }, 10);
    const enrolment = sessions.find((s) => s.mode === 'enroll' && s.identityId !== null);
    if (!enrolment?.identityId) return employee;
    await this.#deps.employees.bind(employee.id, enrolment.identityId);
    return (await this.#deps.employees.find(employee.clientId, { id: employee.id })) ?? employee;
  }
}
