import { html, page } from './html.ts';

export interface PrivacyPageInput {
  mediaDays: number;
  identityDays: number;
  recordDays: number;
}

/** verid's own privacy notice (VERID_PRIVACY_URL replaces it with the operator's). */
export function privacyPage({ mediaDays, identityDays, recordDays }: PrivacyPageInput): string {
  return page('Privacy notice', html`<div class="card"><h1>Privacy notice</h1>
  <p>The application you sign in to, or that invited you, asks this identity verification service (verid) to check that you
  are the person on your passport, ID card or driving licence.</p>
  <h2 class="label">What is collected</h2>
  <p>A photo of your document; a selfie and a short video of your face while you turn your head and blink; the data read
  from the document (name, date of birth, sex, nationality, document number and expiry).</p>
  <h2 class="label">Why</h2>
  <p>Only to check that a live person is present and is the person on the document, and to let you sign in again later with a
  selfie. The application receives the result with your name, date of birth and sex as on the document. Nothing is sold or
  used for anything else.</p>
  <h2 class="label">How long</h2>
  <p>Photos, video and the data read from the document: ${mediaDays} days after the check. A template of your face and your
  document's data: ${identityDays} days after your last check. A record without personal data (when, which checks, the
  outcome): ${recordDays} days. Everything is encrypted while it is kept.</p>
  <h2 class="label">Your choices</h2>
  <p>You can decline before anything is taken (the "Cancel" button). You can ask the organisation that asked for the check to
  have your data deleted earlier.</p></div>`);
}
