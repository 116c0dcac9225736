import { html, page, type SafeHtml } from '../html.ts';
import { CONSENT_VERSION, ONBOARDING_CONSENT_VERSION, consentText, type ConsentTextInput } from './consent-text.ts';

/** A form the page posts back: where, and its hidden fields (CSRF token, capture token). */
export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

/** Continue on a phone: the link (also as a QR code) and the code to type, and where the page watches the session's progress. */
export interface Handoff {
  url: string;
  qrDataUrl: string;
  code: string;
  /** Polled by this page while the phone works: the session's state. */
  progressUrl: string;
  /** token: the capture token (Omni pages); cookie: the sign-in's interaction cookie. */
  progressAuth: 'token' | 'cookie';
}

export interface CapturePageInput {
  /** Offer to continue on a phone (not on a page opened on the phone itself). */
  handoff?: Handoff | null;
  /** Where the page goes when the verification has an outcome (the login's `complete`, or the Omni finish). */
  complete: PageForm;
  /** Cancel (the login's `abort`); null: no cancel button (an emailed link can simply be opened again). */
  abort: PageForm | null;
  /** "Use my ID document instead" during a selfie-only re-verification; null when not offered. */
  documentInsteadHref: string | null;
  /** sign-in: the OIDC login's words; onboarding: a verification an organisation asked for. */
  purpose: 'sign-in' | 'onboarding';
  /** The session's capture token; the page sends it as a bearer token to the /omni endpoints. */
  token: string;
  /** The verification already has an outcome: only offer to continue. */
  finished: boolean;
  /** enroll: document + selfie; reverify: a selfie matched against the enrolled face. */
  mode: 'enroll' | 'reverify' | 'auto';
  /** VERID_REQUIRE_LIVENESS: without the camera check the verification fails. */
  livenessRequired: boolean;
  /** What the person agrees to before any capture; null when they already did (a reload). */
  consent: ConsentTextInput | null;
}

/** The hosted capture page of the login flow: a plain, accessible form; capture.js uploads via the Omni API. */
function hiddenFields(form: PageForm): SafeHtml[] {
  return Object.entries(form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
}

function handoffSection(handoff: Handoff, livenessRequired: boolean): SafeHtml {
  const origin = new URL(handoff.url).origin;
  return html`<details id="handoff" data-progress-url="${handoff.progressUrl}" data-progress-auth="${handoff.progressAuth}">
    <summary>Continue on your phone</summary>
    <p id="handoff-why" class="muted">${livenessRequired ? 'This check needs a camera. ' : ''}Scan this code with your phone's camera, or open <strong>${origin}/start</strong> on your phone and type <strong id="handoff-code">${handoff.code}</strong>.</p>
    <img id="handoff-qr" src="${handoff.qrDataUrl}" width="220" height="220" alt="QR code: opens this verification on your phone">
    <p id="handoff-status" role="status" aria-live="polite">This page moves on by itself when your phone is done.</p>
  </details>`;
}

export function capturePage({ complete, abort, documentInsteadHref, purpose, token, finished, mode, livenessRequired, consent, handoff }: CapturePageInput): string {
  const signIn = purpose === 'sign-in';
  if (finished) {
    return page('Continue', html`<div class="card"><h1>Verification finished</h1>
      <form method="post" action="${complete.action}">${hiddenFields(complete)}<button type="submit">${signIn ? 'Continue to the application' : 'Continue'}</button></form></div>`);
  }
  const reverify = mode === 'reverify';
  const intro = reverify
    ? html`<h1>Welcome back</h1><p>To sign in, take a selfie. We compare it with the face you verified before.</p>`
    : html`<h1>Verify your identity</h1><p>${signIn ? 'To sign in, take' : 'Take'} a photo of your passport or ID card and a selfie. We compare your face with the photo on the document.</p>`;
  const documentInput = reverify ? '' : html`
    <label for="front">Photo of your passport or ID card</label>
    <input id="front" name="front" type="file" accept="image/jpeg,image/png,image/webp" capture="environment" required aria-describedby="front-help">
    <p id="front-help" class="muted">The page with your photo, flat and in focus, including the lines of &lt;&lt;&lt; at the bottom.</p>`;
  return page(reverify ? 'Sign in with a selfie' : 'Verify your identity', html`<div class="card">
  ${intro}
  <form id="capture" data-token="${token}" data-mode="${reverify ? 'reverify' : 'enroll'}" data-liveness="${livenessRequired ? 'required' : 'optional'}" data-consent-version="${consent ? (signIn ? CONSENT_VERSION : ONBOARDING_CONSENT_VERSION) : ''}" novalidate>${consent ? html`
    <fieldset id="consent-box"><legend class="label">Before you start</legend>${consentText(consent, purpose)}
      <label class="check"><input id="consent" name="consent" type="checkbox" required> I agree to this use of my face and document data.</label>
    </fieldset>` : ''}${documentInput}
    <div id="selfie-upload">
      <label for="face">A selfie</label>
      <input id="face" name="face" type="file" accept="image/jpeg,image/png,image/webp" capture="user" required aria-describedby="face-help">
      <p id="face-help" class="muted">Only you, looking at the camera, in good light.${livenessRequired ? ' This sign-in also needs a short camera check; it starts when your browser can use a camera.' : ''}</p>
    </div>
    <section id="camera" hidden aria-labelledby="camera-title">
      <h2 id="camera-title" class="label">Selfie and camera check</h2>
      <p class="muted">Your camera takes the selfie, then asks you, one step at a time, to turn your head or blink, to show a live person is there. It takes about ten seconds.</p>
      <div class="preview" hidden><video id="preview" autoplay muted playsinline aria-hidden="true"></video><p id="prompt" aria-live="assertive"></p></div>
      ${livenessRequired ? '' : html`<button id="use-upload" type="button" class="secondary">Upload a selfie instead</button>`}
    </section>
    <button id="submit" type="submit">Verify and continue</button>
    <div id="status" role="status" aria-live="polite"></div>
  </form>
  ${handoff ? handoffSection(handoff, livenessRequired) : ''}
  <form id="complete" method="post" action="${complete.action}">${hiddenFields(complete)}</form>
  ${abort ? html`<form method="post" action="${abort.action}">${hiddenFields(abort)}<button type="submit" class="secondary">Cancel</button></form>`
    : html`<p class="muted">You can close this page and open your link again later, until it expires.</p>`}
  ${reverify && documentInsteadHref ? html`<p><a href="${documentInsteadHref}">Use my ID document instead</a></p>` : ''}
  <p class="muted">Everything is encrypted while it is kept, and used only for this verification${signIn ? ' and your later sign-ins' : ''}.</p>
</div>`, { script: '/static/capture.js' });
}

export function messagePage(title: string, message: string, backHref?: string): string {
  return page(title, html`<div class="card" role="alert"><h1>${title}</h1><p>${message}</p>
    ${backHref ? html`<p><a href="${backHref}">Try again</a></p>` : ''}</div>`);
}
