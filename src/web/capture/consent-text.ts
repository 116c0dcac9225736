import { HOSTED_CONSENT_VERSION, HOSTED_ONBOARDING_CONSENT_VERSION } from '../../verification/index.ts';
import { html, type SafeHtml } from '../html.ts';

/** Changes whenever the text below changes (in verification/consent.ts): the version each person agreed to is recorded. */
export const CONSENT_VERSION = HOSTED_CONSENT_VERSION;
export const ONBOARDING_CONSENT_VERSION = HOSTED_ONBOARDING_CONSENT_VERSION;

export interface ConsentTextInput {
  /** The application that asked for the verification (the OIDC client's name). */
  clientName: string;
  privacyUrl: string;
  mediaDays: number;
  identityDays: number;
}

function years(days: number): string {
  const y = Math.round(days / 365);
  return days % 365 === 0 || Math.abs(days / 365 - y) < 0.05 ? `${y} year${y === 1 ? '' : 's'}` : `${days} days`;
}

/** What is collected, why, for whom and for how long — shown before any capture (BIPA, GDPR Art. 9). */
export function consentText({ clientName, privacyUrl, mediaDays, identityDays }: ConsentTextInput, purpose: 'sign-in' | 'onboarding' = 'sign-in'): SafeHtml {
  const receives = purpose === 'sign-in'
    ? html`${clientName} receives the result with your name, date of birth and sex as they are on the document.`
    : html`${clientName} receives the result, the data read from your document and the photos, until they are deleted.`;
  return html`<p><strong>${clientName}</strong> asks verid to check your identity. verid takes a photo of your passport or ID card,
    a selfie and a short video of your face, and reads your name, date of birth, sex and document number from the document.</p>
    <p>They are used only to check that you are the person on the document. ${receives}</p>
    <p>The photos, the video and the data read from the document are deleted ${mediaDays} days after the check. A template of
    your face and the document's data are kept so that you can sign in again with a selfie, and deleted ${years(identityDays)}
    after your last check, or earlier when you ask. <a href="${privacyUrl}">Privacy notice</a></p>`;
}
