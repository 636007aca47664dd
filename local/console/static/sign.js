// The "Waiting for a signature" panel: Sign / Decline for each signer whose
// waitForTaskToken task is waiting, by invoking the complete-signature Lambda
// through the Lambda REST API — the same path the mission's users take.

import { invoke, listFunctionNames, toDate } from './api.js';
import { h, dateTime } from './dom.js';

// What each complete-signature errorType means, in words, with what to do.
const ERROR_WORDS = {
  InvalidInput: (p) => `The request was rejected as invalid${p.msg ? `: ${p.msg}` : '.'}`,
  SignatureRequestNotFound: (p) => `No signature request is waiting for ${p.signer} on document ${p.documentId}. It may not have been requested yet — wait a moment and retry.`,
  SignatureAlreadyCompleted: (p) => `${p.signer} has already signed or declined document ${p.documentId}; nothing more to do.`,
  SignatureRequestExpired: (p) => `The signature request for document ${p.documentId} has expired: the signing deadline passed. Start a new run under a new document ID.`,
  SignatureServiceUnavailable: () => 'The signing service is temporarily unavailable. Try again in a moment.',
};

/** The first value under key anywhere in a JSON value (depth-limited). */
export function findKey(value, key, depth = 4) {
  if (!value || typeof value !== 'object' || depth < 0) return undefined;
  if (Object.hasOwn(value, key) && typeof value[key] !== 'object') return value[key];
  for (const v of Object.values(value)) {
    const found = findKey(v, key, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

let functionName; // cached name of the complete-signature function

/** The complete-signature function's name: from the stack outputs, else ListFunctions. */
async function completeSignatureFunction(ctx, stateMachineArn) {
  if (functionName) return functionName;
  const stacks = Object.values(ctx.outputs || {});
  const mine = stacks.find((o) => o.StateMachineArn === stateMachineArn && o.CompleteSignatureFunctionName);
  const named = stacks.map((o) => o.CompleteSignatureFunctionName).filter(Boolean);
  if (mine || named.length === 1) {
    functionName = mine ? mine.CompleteSignatureFunctionName : named[0];
    return functionName;
  }
  const candidates = (await listFunctionNames()).filter((n) => n.includes('CompleteSignature')).sort();
  if (!candidates.length) {
    throw new Error('No complete-signature function is deployed: ListFunctions lists no function whose name contains "CompleteSignature".');
  }
  functionName = candidates[0];
  return functionName;
}

/** The outcome of an invocation, in words: {ok, text, code}. */
export function outcomeWords(result, p) {
  if (!result.functionError) {
    const status = result.payload?.status;
    const verb = p.decision === 'decline' ? 'declined' : 'signed';
    return { ok: true, text: `${p.signer} ${verb} document ${p.documentId}${status ? ` (status ${status})` : ''}.` };
  }
  const code = result.payload?.errorType || result.functionError;
  const msg = result.payload?.errorMessage || '';
  const words = ERROR_WORDS[code];
  return { ok: false, code, text: words ? words({ ...p, msg }) : `The function failed with ${code}${msg ? `: ${msg}` : ''}.` };
}

/**
 * Renders the panel for the waiting tasks into root (hidden when none).
 * waiting: [{name, parameters, since}] (parameters unredacted; only signer and
 * documentId are read from them).
 */
export function renderSignPanel(root, ctx, execution, waiting) {
  const input = safeJSON(execution.input);
  const rows = waiting.map((w) => {
    const signer = findKey(w.parameters, 'signer');
    const documentId = findKey(w.parameters, 'documentId') ?? findKey(input, 'documentId');
    return { state: w.name, signer: signer === undefined ? undefined : String(signer), documentId, since: toDate(w.since) };
  });
  const key = JSON.stringify(rows.map((r) => [r.state, r.signer, r.documentId]));
  if (root.dataset.key === key) return; // keep an open decline form and messages
  root.dataset.key = key;
  root.hidden = rows.length === 0;
  root.replaceChildren(h('h2', {}, 'Waiting for a signature'), ...rows.map((r) => signerRow(ctx, execution, r)));
}

function signerRow(ctx, execution, r) {
  const message = h('p', { class: 'form-msg', role: 'status' });
  const reason = h('textarea', { name: 'reason', rows: 2, required: true, placeholder: 'Why is the document declined?', 'aria-label': 'Reason for declining' });
  const declineForm = h('form', { class: 'decline-form', hidden: true, onsubmit: (ev) => { ev.preventDefault(); send('decline'); } },
    reason,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger', 'data-action': 'confirm-decline' }, 'Decline document'),
      h('button', { type: 'button', onclick: () => { declineForm.hidden = true; } }, 'Cancel')));
  const signButton = h('button', { type: 'button', class: 'primary', 'data-action': 'sign', onclick: () => send('sign') }, `Sign as ${r.signer ?? 'signer'}`);
  const declineButton = h('button', { type: 'button', 'data-action': 'decline', onclick: () => { declineForm.hidden = false; reason.focus(); } }, 'Decline…');
  const buttons = [signButton, declineButton];

  async function send(decision) {
    if (decision === 'decline' && !reason.value.trim()) {
      message.className = 'form-msg error';
      message.textContent = 'Give a reason for declining.';
      return;
    }
    const payload = { documentId: r.documentId, decision };
    if (r.signer !== undefined) payload.signer = r.signer;
    if (decision === 'decline') payload.reason = reason.value.trim();
    buttons.forEach((b) => { b.disabled = true; });
    message.className = 'form-msg';
    message.textContent = decision === 'sign' ? 'Signing…' : 'Declining…';
    try {
      const fn = await completeSignatureFunction(ctx, execution.stateMachineArn);
      const outcome = outcomeWords(await invoke(fn, payload), { ...payload, signer: r.signer ?? 'the signer' });
      message.className = `form-msg ${outcome.ok ? 'ok' : 'error'}`;
      message.replaceChildren(outcome.text, outcome.code ? h('code', { class: 'error-code' }, outcome.code) : '');
      if (outcome.ok) declineForm.hidden = true;
    } catch (err) {
      message.className = 'form-msg error';
      message.textContent = `Could not reach the complete-signature function: ${err.message}`;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  const since = r.since ? ` · waiting since ${dateTime(r.since).slice(11)}` : '';
  return h('div', { class: 'signer', dataset: { signer: r.signer ?? '' } },
    h('div', { class: 'signer-line' },
      h('span', { class: 'signer-name' }, r.signer ?? 'Signer'),
      h('span', { class: 'muted' }, ` asked to sign document ${r.documentId ?? '?'} at step “${r.state}”${since}`),
      h('span', { class: 'actions' }, ...buttons)),
    declineForm, message);
}

function safeJSON(s) {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
