import { nameMatch } from '../documents/index.ts';
import type { IdentityClaims } from '../verification/index.ts';

/** OIDC4IDA document types (the predefined values of `document_details.type`). */
const IDA_DOCUMENT_TYPE: Record<IdentityClaims['document']['type'], string> = {
  passport: 'passport',
  id_card: 'idcard',
  driver_licence: 'driving_permit',
  unknown: 'document',
};

export const VERIFIABLE_CLAIMS = ['given_name', 'family_name', 'name', 'birthdate', 'gender'] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Standard claims (OIDC Core §5.1) from the verified document. */
export function standardClaims(sub: string, identity: IdentityClaims): { sub: string } & Record<string, unknown> {
  return {
    sub,
    name: `${identity.givenName} ${identity.familyName}`.trim(),
    given_name: identity.givenName,
    family_name: identity.familyName,
    birthdate: identity.birthdate ?? undefined,
    gender: identity.gender,
  };
}

/**
 * `verified_claims` per OpenID Connect for Identity Assurance 1.0: which claims were verified,
 * how (evidence of type `document` with the checks that ran) and when. When the request names
 * claims inside `verified_claims.claims`, only those are returned.
 */
export function verifiedClaims(
  identity: IdentityClaims, trustFramework: string, request: unknown,
): Record<string, unknown> {
  const all = standardClaims('', identity);
  const requested = (request && typeof request === 'object' && 'claims' in request && request.claims && typeof request.claims === 'object')
    ? Object.keys(request.claims as object) : [...VERIFIABLE_CLAIMS];
  const claims = Object.fromEntries(
    requested.filter((c) => (VERIFIABLE_CLAIMS as readonly string[]).includes(c) && all[c] !== undefined).map((c) => [c, all[c]]),
  );
  return {
    verification: {
      trust_framework: trustFramework,
      time: iso(identity.verifiedAt),
      verification_process: identity.interviewId,
      evidence: [{
        type: 'document',
        time: iso(identity.verifiedAt),
        check_details: identity.checks.map((c) => ({ check_method: c.checkMethod, time: iso(c.time) })),
        document_details: {
          type: IDA_DOCUMENT_TYPE[identity.document.type],
          document_number: identity.document.number,
          ...(identity.document.expiryDate ? { date_of_expiry: identity.document.expiryDate } : {}),
          issuer: { country_code: identity.document.issuingCountry },
        },
      }],
    },
    claims,
  };
}

/** Okta's "custom identity verification vendor" trust framework (its guide spells it both ways). */
export const DELEGATED_TRUST_FRAMEWORKS = ['IDV-DELEGATED', 'IDV_DELEGATED'] as const;

type Requested = { value?: unknown; values?: unknown; fuzzy?: unknown } | null | undefined | string;

function requestedValue(request: Requested): { value: string | null; fuzzy: boolean } {
  if (typeof request === 'string') return { value: request, fuzzy: true };
  if (!request || typeof request !== 'object') return { value: null, fuzzy: true };
  // Okta's guide shows both `{"value": "Dan", "fuzzy": true}` and `{"fuzzy": "Dan"}`.
  if (typeof request.fuzzy === 'string') return { value: request.fuzzy, fuzzy: true };
  return { value: typeof request.value === 'string' ? request.value : null, fuzzy: request.fuzzy !== false };
}

/**
 * Does the verified document say what the requester knows? Names use verid's name match (accents,
 * order, middle names; near spellings only when `fuzzy`), the birth date must be equal.
 */
function documentSays(claim: string, expected: string, fuzzy: boolean, identity: IdentityClaims): boolean | null {
  if (claim === 'birthdate') return identity.birthdate === expected;
  const part = claim === 'given_name' ? identity.givenName : claim === 'family_name' ? identity.familyName : null;
  if (part === null) return null;
  const status = nameMatch(expected, { surname: part, givenNames: '' }).status;
  return status === 'OK' || (fuzzy && status === 'WARN');
}

/**
 * The answer to one requested `verified_claims` element of a delegated trust framework (Okta IDV):
 * `assurance_level` VERIFIED only when every value the requester sent for a claim verid can check
 * (given_name, family_name, birthdate) matches the document; a claim that does not match is `null`
 * (never the document's value as if it matched), claims verid cannot check are left out.
 */
export function delegatedVerifiedClaims(identity: IdentityClaims, trustFramework: string, element: { claims?: Record<string, Requested> }): Record<string, unknown> {
  const all = standardClaims('', identity);
  const claims: Record<string, unknown> = {};
  let verified = true;
  for (const [claim, request] of Object.entries(element.claims ?? {})) {
    if (!(['given_name', 'family_name', 'birthdate'] as string[]).includes(claim)) continue;
    const { value, fuzzy } = requestedValue(request);
    const matches = value === null ? true : documentSays(claim, value, fuzzy, identity);
    if (matches === false) verified = false;
    claims[claim] = matches === false ? null : all[claim] ?? null;
  }
  return {
    verification: {
      trust_framework: trustFramework, assurance_level: verified ? 'VERIFIED' : 'FAILED',
      verification_process: identity.interviewId, time: iso(identity.verifiedAt),
    },
    claims,
  };
}

/**
 * `verified_claims` for the claims request: an object (one element), or an array (OIDC4IDA §6:
 * one answer per requested element). An element asking for a trust framework verid does not
 * operate is left out (OIDC4IDA §6.5), except the delegated one of Okta's IDV integration.
 */
export function requestedVerifiedClaims(identity: IdentityClaims, trustFramework: string, request: unknown): unknown {
  const elements = Array.isArray(request) ? request : [request];
  const answers = elements.map((element) => {
    const asked = (element as { verification?: { trust_framework?: { value?: unknown } } } | undefined)?.verification?.trust_framework?.value;
    if (typeof asked === 'string' && (DELEGATED_TRUST_FRAMEWORKS as readonly string[]).includes(asked)) {
      return delegatedVerifiedClaims(identity, asked, element as { claims?: Record<string, Requested> });
    }
    if (typeof asked === 'string' && asked !== trustFramework) return undefined;
    return verifiedClaims(identity, trustFramework, element);
  }).filter((answer) => answer !== undefined);
  if (!Array.isArray(request)) return answers[0];
  return answers;
}
