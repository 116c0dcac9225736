// Capture flow of the login page: uploads the document (enrolment only) to verid's Omni endpoints
// with the session token, then takes the selfie and the liveness check with the camera when the
// browser has one (or uploads a chosen selfie), asks verid to process them and finishes the sign-in.
// A photo verid cannot use (blurry, glare, no face, ...) is reported and can be retaken.
const form = document.getElementById('capture');
const status = document.getElementById('status');
const submit = document.getElementById('submit');
const camera = document.getElementById('camera');
const upload = document.getElementById('selfie-upload');
const preview = document.getElementById('preview');
const prompt = document.getElementById('prompt');
const token = form.dataset.token;
const reverify = form.dataset.mode === 'reverify';
const livenessRequired = form.dataset.liveness === 'required';

// The check: the server reveals one step at a time. A frontal lead-in (the selfie is taken there),
// then each step for STEP_MS, then a frontal tail after the last (room for a late last move); frames at 10 per second,
// unmirrored, 320 px wide, sent as they are recorded (docs/liveness.md).
const FRAME_MS = 100;
const LEAD_MS = 600;
const STEP_MS = 1500;
const TAIL_MS = 800;
const FRAME_WIDTH = 320;
// Frames go up in chunks while the person moves, so their analysis is done when the last step ends.
const CHUNK = 5;
const INSTRUCTIONS = {
  turn_left: 'Turn your head to your left',
  turn_right: 'Turn your head to your right',
  blink: 'Blink',
};

let useCamera = false;
// A document read once is not sent again when only the selfie or the camera check is retried
// (every read counts towards the session's attempts), unless another photo is chosen.
let documentRead = false;
form.front?.addEventListener('change', () => { documentRead = false; });

function say(message, isError = false) {
  status.textContent = message;
  status.className = isError ? 'error' : '';
}

async function call(path, body, contentType) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error?.message ?? `The server answered ${response.status}`);
  return json;
}

function finish() {
  say('Done. Returning to the application…');
  document.getElementById('complete').submit();
}

function showCamera(on) {
  useCamera = on;
  camera.hidden = !on;
  upload.hidden = on;
}

// Offer the camera only when the browser reports one; the file input stays the fallback.
async function detectCamera() {
  if (!navigator.mediaDevices?.getUserMedia || !navigator.mediaDevices.enumerateDevices) return;
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  if (devices.some((device) => device.kind === 'videoinput')) showCamera(true);
}

document.getElementById('use-upload')?.addEventListener('click', () => {
  showCamera(false);
  form.face.focus();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function waitForClick(button, label) {
  submit.textContent = label;
  submit.disabled = false;
  return new Promise((resolve) => button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    submit.disabled = true;
    resolve();
  }, { once: true, capture: true }));
}

function grab(width, quality) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = Math.round((width * preview.videoHeight) / preview.videoWidth);
  // drawImage ignores the preview's CSS mirroring: frames go to verid as the camera sees them.
  canvas.getContext('2d').drawImage(preview, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', quality).slice('data:image/jpeg;base64,'.length);
}

const toBytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

async function openCamera() {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
  preview.parentElement.hidden = false;
  preview.srcObject = stream;
  await preview.play();
  if (!preview.videoWidth) await new Promise((resolve) => preview.addEventListener('loadedmetadata', resolve, { once: true }));
  return stream;
}

/**
 * Takes the selfie and performs the challenge: shows each step the server reveals, sends the frames
 * recorded meanwhile, and says when the step is done; the answer is the next step or the verdict.
 */
async function perform(challenge) {
  const { challengeId, totalSteps } = challenge;
  let step = challenge.step;
  const frames = [];
  let sent = 0;
  let finishing = false;
  // One request at a time, in order: the server orders frames by when it receives them.
  let queue = Promise.resolve();
  const send = (done) => {
    const chunk = frames.slice(sent);
    sent = frames.length;
    const index = step.index;
    const request = queue.then(() => call('/omni/add/liveness-frames', JSON.stringify({ challengeId, step: index, done, frames: chunk }), 'application/json'));
    queue = request.catch(() => undefined);
    return request;
  };
  const timer = setInterval(() => {
    frames.push({ base64Image: grab(FRAME_WIDTH, 0.8) });
    if (!finishing && frames.length - sent >= CHUNK) send(false).catch(() => undefined);
  }, FRAME_MS);
  try {
    prompt.textContent = 'Look at the camera';
    await sleep(LEAD_MS);
    // The selfie goes up at once: its analysis runs while the person performs the steps.
    const selfie = call('/omni/add/face', toBytes(grab(preview.videoWidth, 0.92)), 'image/jpeg');
    selfie.catch(() => undefined);
    for (;;) {
      prompt.textContent = `${INSTRUCTIONS[step.action] ?? step.action} (${step.index + 1} of ${totalSteps})`;
      await sleep(STEP_MS);
      const last = step.index === totalSteps - 1;
      if (last) {
        prompt.textContent = 'Look at the camera';
        await sleep(TAIL_MS);
        say('Checking…');
        await selfie;
      }
      finishing = true;
      const result = await send(true);
      finishing = false;
      if (result.status !== 'IN_PROGRESS' || !result.next) return result;
      step = result.next;
    }
  } finally {
    clearInterval(timer);
    prompt.textContent = '';
  }
}

/** Selfie and liveness with the camera. Returns false when the person has to try again. */
async function cameraCheck() {
  say('When you press Start, look at the camera, then do what the picture asks, one step at a time: turn your head or blink.');
  await waitForClick(submit, 'Start');
  say('');
  submit.textContent = 'Recording…';
  let stream;
  try {
    stream = await openCamera();
  } catch (error) {
    preview.parentElement.hidden = true;
    say(`We could not use your camera (${error.name === 'NotAllowedError' ? 'access was not allowed' : error.message}).${livenessRequired ? ' This sign-in needs a camera.' : ' You can upload a selfie instead.'}`, true);
    if (!livenessRequired) showCamera(false);
    return false;
  }
  let verdict;
  try {
    const challenge = await call('/omni/liveness/challenge', '{}', 'application/json');
    verdict = await perform(challenge);
  } finally {
    for (const track of stream.getTracks()) track.stop();
    preview.srcObject = null;
    preview.parentElement.hidden = true;
  }
  if (verdict.status !== 'OK') {
    say(`${verdict.messages[0] ?? 'The camera check did not pass.'} Press the button to try again.`, true);
    return false;
  }
  return true;
}

// Nothing is captured before the person agrees (the box is on the page until they did).
const consentVersion = form.dataset.consentVersion;
let consented = !consentVersion;
form.consent?.addEventListener('change', () => { if (form.consent.checked) say(''); });

async function giveConsent() {
  if (consented) return true;
  if (!form.consent.checked) {
    say('Please read what happens with your data and tick the box to agree, or press Cancel.', true);
    form.consent.focus();
    return false;
  }
  await call('/omni/consent', JSON.stringify({ accepted: true, version: consentVersion }), 'application/json');
  consented = true;
  return true;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!consented && !form.consent?.checked) {
    await giveConsent();
    return;
  }
  const front = reverify ? null : form.front.files[0];
  const face = useCamera ? null : form.face.files[0];
  if ((!reverify && !front) || (!useCamera && !face)) {
    say(reverify || front ? 'Choose a selfie.' : 'Choose a photo of your document and a selfie.', true);
    (!reverify && !front ? form.front : form.face).focus();
    return;
  }
  if (!useCamera && livenessRequired) {
    say(handoff ? 'This needs a short check with a camera: continue on your phone (below), or allow camera access here.'
      : 'This sign-in needs a short check with your camera. Allow camera access, or use a device with a camera.', true);
    if (handoff) handoff.open = true;
    return;
  }
  submit.disabled = true;
  try {
    if (!(await giveConsent())) return;
    if (front && !documentRead) {
      say('Uploading your document…');
      await call('/omni/add/front-id', front, front.type || 'application/octet-stream');
      say('Reading your document…');
      const id = await call('/omni/process/id');
      if (id.retryable && id.state !== 'failed') {
        say(id.messages[0] ?? 'We could not read the document. Take another photo.', true);
        form.front.focus();
        return;
      }
      if (id.state === 'failed') return finish();
      documentRead = true;
    }
    if (useCamera) {
      if (!(await cameraCheck())) return;
    } else {
      say('Uploading your selfie…');
      await call('/omni/add/face', face, face.type || 'application/octet-stream');
    }
    say('Comparing your selfie…');
    const result = await call('/omni/process/face');
    if (result.retryable) {
      say(result.messages[0] ?? 'We could not use the selfie. Take another one.', true);
      if (!useCamera) form.face.focus();
      return;
    }
    finish();
  } catch (error) {
    say(error.message, true);
  } finally {
    submit.textContent = 'Verify and continue';
    submit.disabled = false;
  }
});

// Continue on a phone: this page watches the session and moves on when the phone is done.
const handoff = document.getElementById('handoff');
const handoffStatus = document.getElementById('handoff-status');
let watching = false;
const OPEN_STATES = ['created', 'started', 'id_captured', 'face_captured', 'processing'];
const PROGRESS = {
  id_captured: 'Your phone sent the document…', face_captured: 'Your phone sent the selfie…', processing: 'Checking…',
};

async function progress() {
  const byToken = handoff.dataset.progressAuth === 'token';
  const response = await fetch(handoff.dataset.progressUrl, { headers: byToken ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
  if (response.status === 401 || response.status === 404) return 'elsewhere';
  if (!response.ok) return null;
  return (await response.json()).state ?? null;
}

async function watch() {
  if (watching) return;
  watching = true;
  for (;;) {
    await sleep(2500);
    const state = await progress().catch(() => null);
    if (state === 'elsewhere') {
      handoffStatus.textContent = 'This verification continued on another device. You can close this page.';
      return;
    }
    if (state && !OPEN_STATES.includes(state)) {
      handoffStatus.textContent = 'Your phone is done.';
      return finish();
    }
    if (state && PROGRESS[state]) handoffStatus.textContent = PROGRESS[state];
  }
}

handoff?.addEventListener('toggle', () => { if (handoff.open) watch(); });

async function offerHandoffWithoutCamera() {
  await detectCamera();
  // Without a camera, a check that needs one can only go on on another device: say so at once.
  if (handoff && !useCamera && livenessRequired) {
    handoff.open = true;
    say('This computer has no camera. Continue on your phone (below).');
  }
}

offerHandoffWithoutCamera();
