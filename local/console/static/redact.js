// Task tokens are secrets: whoever holds one can complete the task. The page
// never shows one. redactor() learns the tokens of an execution from its
// history (values under any key containing "token") and returns a function
// that scrubs them — and anything else that looks like a token — from a value.

export const REDACTED = '•••redacted•••';

const TOKEN_KEY = /token/i;
// A long unbroken run of base64/base64url characters: what AWS task tokens
// look like. ARNs (with ":") and ordinary text (with spaces) never match.
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{100,}/g;

function parseJSONString(s) {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function collect(value, tokens, underTokenKey) {
  if (typeof value === 'string') {
    const inner = parseJSONString(value);
    if (inner !== undefined) collect(inner, tokens, false);
    else if (underTokenKey && value.length >= 8) tokens.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, tokens, underTokenKey);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, tokens, TOKEN_KEY.test(k));
  }
}

function scrubString(s, tokens) {
  let out = s;
  for (const t of tokens) if (out.includes(t)) out = out.split(t).join(REDACTED);
  return out.replace(LONG_TOKEN, REDACTED);
}

function scrub(value, tokens) {
  if (typeof value === 'string') {
    const inner = parseJSONString(value);
    if (inner !== undefined && typeof inner === 'object' && inner !== null) {
      return JSON.stringify(scrub(inner, tokens));
    }
    return scrubString(value, tokens);
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, tokens));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = TOKEN_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : scrub(v, tokens);
    }
    return out;
  }
  return value;
}

/**
 * Returns redact(value): a deep copy of value with every task token replaced
 * by REDACTED, including tokens inside JSON-encoded strings (such as
 * TaskScheduled parameters) and tokens quoted in error causes.
 * @param {...any} sources values to learn tokens from (e.g. the history events)
 */
export function redactor(...sources) {
  const tokens = new Set();
  for (const s of sources) collect(s, tokens, false);
  // Replace longer tokens first so a token containing another is not split.
  const ordered = [...tokens].sort((a, b) => b.length - a.length);
  return (value) => scrub(value, ordered);
}
