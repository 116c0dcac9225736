import type { IdentityClaims } from './ports.ts';
import type { DocumentData, VerificationSession } from './session.ts';

/** "JOHN PETER" -> "John Peter", "O'NEIL-SMITH" -> "O'Neil-Smith". MRZ names are upper-case A–Z only. */
export function properCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

const GENDER: Record<DocumentData['sex'], IdentityClaims['gender']> = { M: 'male', F: 'female', X: 'other' };
/** The claims of an identity: only what the verified document says (never what the browser said). */
export function toIdentityClaims(document: DocumentData, session: VerificationSession): IdentityClaims {
  const now = Date.now();
  return {
    givenName: properCase(document.givenNames),
    familyName: properCase(document.surname),
    birthdate: document.birthDate,
    gender: GENDER[document.sex],
    document: {
      type: document.documentType,
      issuingCountry: document.issuingCountry,
      number: document.documentNumber,
      expiryDate: document.expiryDate,
    },
    verifiedAt: now,
    interviewId: session.interviewId,
    // OIDC4IDA check methods: vri = remote visual inspection of the document image (MRZ integrity),
    // bvr = automated remote biometric comparison of the person with the document portrait.
    checks: [{ checkMethod: 'vri', time: now }, { checkMethod: 'bvr', time: now }],
  };
}
