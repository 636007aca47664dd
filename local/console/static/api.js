// Calls to the public AWS APIs on this page's own origin, unsigned: the Step
// Functions JSON 1.0 protocol (POST / with X-Amz-Target) and Lambda's REST API.

/** An AWS error answer: code is the error type without its namespace. */
export class AwsError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
  }
}

async function readJSON(res) {
  const text = await res.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function errorOf(res, data) {
  const type = data.__type || data.code || data.Type || res.headers.get('x-amzn-ErrorType') || `HTTP ${res.status}`;
  const code = String(type).split('#').pop().split(':')[0];
  return new AwsError(code, data.message || data.Message || data.errorMessage || '', res.status);
}

/** Calls one Step Functions action, e.g. sfn('ListExecutions', {...}). */
export async function sfn(action, body = {}) {
  const res = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AWSStepFunctions.${action}`,
    },
    body: JSON.stringify(body),
  });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return data;
}

/** Collects every page of a paginated Step Functions action. */
export async function sfnAll(action, body, key, limit = 10000) {
  const items = [];
  let nextToken;
  do {
    const page = await sfn(action, nextToken ? { ...body, nextToken } : body);
    items.push(...(page[key] || []));
    nextToken = page.nextToken;
  } while (nextToken && items.length < limit);
  return items;
}

/** Lists Lambda function names (ListFunctions, every page). */
export async function listFunctionNames() {
  const names = [];
  let marker = '';
  do {
    const res = await fetch(`/2015-03-31/functions/${marker ? `?Marker=${encodeURIComponent(marker)}` : ''}`);
    const data = await readJSON(res);
    if (!res.ok) throw errorOf(res, data);
    for (const f of data.Functions || []) names.push(f.FunctionName);
    marker = data.NextMarker || '';
  } while (marker);
  return names;
}

/**
 * Invokes a Lambda function synchronously. Resolves to {payload, functionError}:
 * functionError is "" on success, else the X-Amz-Function-Error header
 * ("Unhandled") with payload {errorType, errorMessage}.
 */
export async function invoke(functionName, payload) {
  const res = await fetch(`/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Amz-Invocation-Type': 'RequestResponse' },
    body: JSON.stringify(payload),
  });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return { payload: data, functionError: res.headers.get('X-Amz-Function-Error') || '' };
}

/** Draws a definition: POST /console/flowchart → {text, nodeIds, states, startId, endId}. */
export async function flowchart(definition) {
  const res = await fetch('/console/flowchart', { method: 'POST', body: definition });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return data;
}

/** The stacks' outputs the server was given (stack → name → value), or {}. */
export async function outputs() {
  const res = await fetch('/console/outputs.json');
  return res.ok ? readJSON(res) : {};
}

/**
 * The local stack's outbox (contract.OutboxPath): [{documentId, signer, to,
 * subject, body, link, sentAt}], oldest first.
 */
export async function outbox() {
  const res = await fetch('/_local/outbox', { cache: 'no-store' });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return Array.isArray(data) ? data : [];
}

/** AWS JSON timestamps are epoch seconds; some servers send ISO strings. */
export function toDate(v) {
  if (v === undefined || v === null || v === '') return null;
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Calls one KMS action (JSON 1.1), e.g. kms('GetPublicKey', {KeyId}). */
export async function kms(action, body = {}) {
  const res = await fetch('/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${action}` },
    body: JSON.stringify(body),
  });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return data;
}

/** Checks a run's envelopes on the console's server: POST /console/verify → {signatures: [{signer, valid, problem, detail}]}. */
export async function verifySignatures(request) {
  const res = await fetch('/console/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
  const data = await readJSON(res);
  if (!res.ok) throw errorOf(res, data);
  return data;
}
