// Capture flow of the login page: uploads the document (enrolment only) and the selfie to verid's
// Omni endpoints with the session token, asks verid to process them, then finishes the sign-in.
// A photo verid cannot use (blurry, glare, no face, ...) is reported and can be retaken.
const form = document.getElementById('capture');
const status = document.getElementById('status');
const submit = document.getElementById('submit');
const token = form.dataset.token;
const reverify = form.dataset.mode === 'reverify';

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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const front = reverify ? null : form.front.files[0];
  const face = form.face.files[0];
  if ((!reverify && !front) || !face) {
    say(reverify ? 'Choose a selfie.' : 'Choose a photo of your document and a selfie.', true);
    (!reverify && !front ? form.front : form.face).focus();
    return;
  }
  submit.disabled = true;
  try {
    say('Uploading your photos…');
    if (front) await call('/omni/add/front-id', front, front.type || 'application/octet-stream');
    await call('/omni/add/face', face, face.type || 'application/octet-stream');
    if (!reverify) {
      say('Reading your document…');
      const id = await call('/omni/process/id');
      if (id.retryable && id.state !== 'failed') {
        say(id.messages[0] ?? 'We could not read the document. Take another photo.', true);
        form.front.focus();
        return;
      }
      if (id.state === 'failed') return finish();
    }
    say('Comparing your selfie…');
    const result = await call('/omni/process/face');
    if (result.retryable) {
      say(result.messages[0] ?? 'We could not use the selfie. Take another one.', true);
      form.face.focus();
      return;
    }
    finish();
  } catch (error) {
    say(error.message, true);
  } finally {
    submit.disabled = false;
  }
});
