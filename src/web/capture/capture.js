// Capture flow of the login page: uploads the document and the selfie to verid's Omni endpoints
// with the session token, asks verid to process them, then finishes the sign-in.
const form = document.getElementById('capture');
const status = document.getElementById('status');
const submit = document.getElementById('submit');
const token = form.dataset.token;

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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const front = form.front.files[0];
  const face = form.face.files[0];
  if (!front || !face) {
    say('Choose a photo of your document and a selfie.', true);
    (front ? form.face : form.front).focus();
    return;
  }
  submit.disabled = true;
  try {
    say('Uploading your photos…');
    await call('/omni/add/front-id', front, front.type || 'application/octet-stream');
    await call('/omni/add/face', face, face.type || 'application/octet-stream');
    say('Reading your document…');
    const id = await call('/omni/process/id');
    if (!id.documentFound) {
      say(id.messages[0] ?? 'We could not read the document. Try another photo.', true);
      form.front.focus();
      return;
    }
    say('Comparing your selfie with the document…');
    await call('/omni/process/face');
    say('Done. Returning to the application…');
    document.getElementById('complete').submit();
  } catch (error) {
    say(error.message, true);
  } finally {
    submit.disabled = false;
  }
});
