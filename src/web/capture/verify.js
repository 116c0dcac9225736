// The Omni Start link carries the capture token in its fragment (#token=…), which browsers never
// send to a server. Move it into a same-origin POST and drop it from the address bar and history.
const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
const form = document.getElementById('open');
if (match && form) {
  // via=handoff: a QR code from another screen opened this page (that screen watches the session).
  form.via.value = /(?:^#|&)via=handoff(?:&|$)/.test(window.location.hash) ? 'handoff' : '';
  history.replaceState(null, '', window.location.pathname);
  form.token.value = match[1];
  form.submit();
} else {
  document.getElementById('no-token')?.removeAttribute('hidden');
}
