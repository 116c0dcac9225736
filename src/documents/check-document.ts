// Document checks over the read fields: the idSpecific score items and their reason codes.
import type { DocumentFields, MrzChecks, ScoreItem } from './types.ts';

const MAX_AGE_YEARS = 130;

const checkDigitItem = (key: string, passed: boolean | undefined): ScoreItem =>
  passed === undefined ? { key, value: null, status: 'UNKNOWN' } : { key, value: passed, status: passed ? 'OK' : 'FAIL' };

/** Pure: the same fields, checks and `now` always give the same items and reasons. */
export function checkDocument(
  fields: DocumentFields | null,
  mrzChecks: MrzChecks | null,
  now: Date,
): { items: ScoreItem[]; reasons: string[] } {
  const reasons: string[] = [];
  if (!fields || !mrzChecks) reasons.push('mrz_not_found');
  const items: ScoreItem[] = [
    {
      key: 'documentClassification',
      value: fields?.documentType ?? null,
      status: !fields ? 'UNKNOWN' : fields.documentType === 'unknown' ? 'WARN' : 'OK',
    },
    checkDigitItem('documentNumberCheckDigit', mrzChecks?.documentNumber),
    checkDigitItem('birthDateCheckDigit', mrzChecks?.birthDate),
    checkDigitItem('expirationDateCheckDigit', mrzChecks?.expiryDate),
    checkDigitItem('compositeCheckDigit', mrzChecks?.composite),
  ];
  if (mrzChecks) {
    const digits = [mrzChecks.documentNumber, mrzChecks.birthDate, mrzChecks.expiryDate, mrzChecks.composite, mrzChecks.personalNumber !== false];
    if (digits.includes(false)) reasons.push('mrz_check_digit_failed');
  }
  if (fields && fields.documentType === 'unknown') reasons.push('document_type_unknown');
  const validity = checkValidity(fields, now);
  return { items: [...items, ...validity.items], reasons: [...reasons, ...validity.reasons] };
}

/** expirationDateValidity and birthDateValidity, for every kind of document. */
export function checkValidity(fields: DocumentFields | null, now: Date): { items: ScoreItem[]; reasons: string[] } {
  const items: ScoreItem[] = [];
  const reasons: string[] = [];
  const today = now.toISOString().slice(0, 10);
  if (fields) {
    const expiry = fields.expiryDate;
    const expired = expiry !== null && expiry < today;
    // Scores carry statuses, never the dates themselves (they are personal data).
    items.push({ key: 'expirationDateValidity', value: expiry !== null && !expired, status: expiry === null || expired ? 'FAIL' : 'OK' });
    if (expiry === null) reasons.push('expiry_date_invalid');
    else if (expired) reasons.push('document_expired');
    const birth = fields.birthDate;
    const oldest = `${now.getUTCFullYear() - MAX_AGE_YEARS}${today.slice(4)}`;
    const birthOk = birth !== null && birth <= today && birth >= oldest;
    items.push({ key: 'birthDateValidity', value: birthOk, status: birthOk ? 'OK' : 'FAIL' });
    if (!birthOk) reasons.push('birth_date_invalid');
  } else {
    items.push({ key: 'expirationDateValidity', value: null, status: 'UNKNOWN' });
    items.push({ key: 'birthDateValidity', value: null, status: 'UNKNOWN' });
  }
  return { items, reasons };
}
