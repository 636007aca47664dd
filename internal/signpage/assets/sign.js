// The signing page's only script (its CSP allows no other). It takes the
// link's one-time code from the fragment, which browsers never send, and
// sends it only in the body of the POST the signer asks for.
'use strict';

(() => {
  const code = location.hash.slice(1);
  // Out of the address bar, history and bookmarks at once.
  if (location.href.includes('#')) {
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  // A link opened again in this tab changes only the fragment: load the page
  // afresh, so it reads the new code and the request's current status.
  window.addEventListener('hashchange', () => location.reload());

  const $ = (id) => document.getElementById(id);
  const result = $('result');
  const signButton = $('sign-button');
  const declineButton = $('decline-button');
  const say = (text, kind) => {
    result.textContent = text;
    result.dataset.kind = kind;
  };
  if (!result || !signButton || !declineButton) return; // no open request: nothing to answer

  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) {
    say('This page was opened without its one-time code (the part of the link after "#"), so it cannot send ' +
      'your decision. Open the link from your notification again, exactly as it was sent. ' +
      'If you reloaded the page: the code is removed from the address once read, so open the link once more.', 'error');
    return;
  }
  const enable = (on) => {
    signButton.disabled = !on;
    declineButton.disabled = !on;
  };
  enable(true);

  const statusText = { SIGNED: 'Signed', DECLINED: 'Declined', EXPIRED: 'Expired', PENDING: 'Waiting for your decision' };
  const doneText = {
    SIGNED: 'Signed: your signature is recorded. You can close this page.',
    DECLINED: 'Declined: the request is closed. You can close this page.',
  };
  const explain = {
    SignatureLinkInvalid: 'This link is no longer valid: it was used, replaced by a newer link, or damaged.',
    SignatureAlreadyCompleted: 'This request was already answered.',
    SignatureRequestExpired: 'This request has expired and can no longer be answered.',
    SignatureRequestNotFound: 'There is no signature request for this document and signer.',
    DocumentChanged: 'The document changed after it was sent for signing, so it cannot be signed; nothing was signed. You can still decline.',
    InvalidInput: 'Your answer was refused.',
  };
  // Answers after which trying again can help; any other is final.
  const retryable = new Set([400, 413, 500]);

  async function send(decision) {
    const body = { code, decision };
    const reason = $('reason').value;
    if (decision === 'decline' && reason !== '') body.reason = reason;
    enable(false);
    say(decision === 'sign' ? 'Signing…' : 'Declining…', 'busy');
    let res;
    try {
      res = await fetch(location.pathname, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch {
      say('The signing service could not be reached. Check your connection and try again.', 'error');
      enable(true);
      return;
    }
    let data = {};
    try {
      data = await res.json();
    } catch {
      // not JSON (a gateway's own error): the status below says enough
    }
    if (res.ok) {
      $('decision').hidden = true;
      $('status').textContent = statusText[data.status] || String(data.status);
      $('main').dataset.status = data.status;
      say(doneText[data.status] || `Done: the request is ${data.status}.`, 'ok');
      return;
    }
    if (res.status === 503) {
      const after = Number.parseInt(res.headers.get('Retry-After'), 10) || 5;
      say(`The signing service is busy, and your answer is not recorded yet. Try again in ${after} seconds.`, 'error');
      setTimeout(() => enable(true), after * 1000);
      return;
    }
    const message = typeof data.message === 'string' ? data.message : `HTTP ${res.status}`;
    say(`${explain[data.errorType] || 'Your answer could not be recorded.'} (${message})`, 'error');
    if (retryable.has(res.status)) {
      enable(true);
    } else if (data.errorType === 'DocumentChanged') {
      declineButton.disabled = false; // the request stays open: declining ends it
    }
  }

  signButton.addEventListener('click', () => send('sign'));
  declineButton.addEventListener('click', () => send('decline'));
})();
