// The "Document and signatures" card: the version the run pinned (key,
// version, SHA-256) and each signature's statement with its validity. The
// page fetches the signing key's public half with KMS GetPublicKey on its own
// origin; the console's server checks the JWS envelopes with the project's
// Go code (local/console/verify.go), so the page holds no crypto of its own.

import { kms, verifySignatures } from './api.js';
import { h, dateTime } from './dom.js';

const PIN_STATE = 'Pin the document'; // internal/contract/states.go

function parse(s) {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/**
 * What the history says: {pinned: {documentId, document} | null, signatures:
 * [envelope]} — the pin state's output, and every state output that is an
 * envelope {signer, statement, jws}, in the order the states exited.
 */
export function documentOf(events) {
  let pinned = null;
  const signatures = [];
  for (const e of events) {
    const d = e.stateExitedEventDetails;
    if (!d) continue;
    const out = parse(d.output);
    if (d.name === PIN_STATE && out?.document) pinned = { documentId: out.documentId, document: out.document };
    else if (out && typeof out.jws === 'string' && out.statement && out.signer) signatures.push(out);
  }
  return { pinned, signatures };
}

/** The signing key of the stack that runs stateMachineArn, from the outputs. */
export function signingKeyOf(outputs, stateMachineArn) {
  const stacks = Object.values(outputs || {});
  const mine = stacks.find((o) => o.StateMachineArn === stateMachineArn);
  if (mine) return mine.SigningKeyArn || '';
  const keys = stacks.map((o) => o.SigningKeyArn).filter(Boolean);
  return keys.length === 1 ? keys[0] : '';
}

/** Checks envelopes of the run: resolves to {signer → {valid, problem, detail}}. */
export async function verifyAll(ctx, desc, pinned, signatures) {
  const keyArn = signingKeyOf(ctx.outputs, desc.stateMachineArn);
  if (!keyArn) throw new Error('the stack outputs name no SigningKeyArn to verify with');
  const key = await kms('GetPublicKey', { KeyId: keyArn });
  const res = await verifySignatures({
    keyArn, publicKey: key.PublicKey, documentId: pinned.documentId, document: pinned.document,
    executionArn: desc.executionArn, signatures,
  });
  return Object.fromEntries(res.signatures.map((v) => [v.signer, v]));
}

function validity(v, failure) {
  if (failure) return h('span', { class: 'validity unknown', dataset: { valid: 'unknown' } }, `not checked: ${failure}`);
  if (!v) return h('span', { class: 'validity unknown', dataset: { valid: 'pending' } }, 'checking…');
  return v.valid
    ? h('span', { class: 'validity ok', dataset: { valid: 'true' } }, '✓ valid')
    : h('span', { class: 'validity bad', dataset: { valid: 'false' }, title: v.detail || '' }, `✗ invalid: ${v.problem}`);
}

/** Renders the card into el (hidden until the document is pinned). */
export function renderSignatures(el, { pinned, signatures }, verdicts, failure) {
  el.hidden = !pinned;
  if (!pinned) return;
  const doc = pinned.document;
  const facts = [['Key', 'key', `s3://${doc.bucket}/${doc.key}`], ['Version', 'version', doc.versionId], ['SHA-256', 'sha256', doc.sha256]];
  const rows = signatures.map((env) => h('tr', { dataset: { signer: env.signer } },
    h('td', {}, env.signer),
    h('td', { class: 'mono', title: env.statement.signedAt }, dateTime(new Date(env.statement.signedAt))),
    h('td', { class: 'mono' }, env.statement.authenticatedBy),
    h('td', {}, validity(verdicts?.[env.signer], failure))));
  el.replaceChildren(
    h('h2', {}, 'Document and signatures'),
    h('dl', { class: 'facts', id: 'pinned' }, facts.map(([k, field, v]) => h('div', {}, h('dt', {}, k), h('dd', { class: 'mono', dataset: { field } }, v)))),
    signatures.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'signatures' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Signer'), h('th', {}, 'Signed at'), h('th', {}, 'Authenticated by'), h('th', {}, 'Validity'))),
        h('tbody', {}, rows)))
      : h('p', { class: 'muted' }, 'No signature yet.'));
}
