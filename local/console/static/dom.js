// Small DOM and formatting helpers. Text always goes in as text nodes, never
// as HTML, so nothing from the APIs can inject markup.

import { STATUSES } from './status.js';

/** h('a', {href: '#/', class: 'x', onclick: f}, 'text', child) builds an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const EXECUTION_STATUS = {
  RUNNING: 'running', SUCCEEDED: 'succeeded', FAILED: 'failed',
  TIMED_OUT: 'timedout', ABORTED: 'aborted', PENDING_REDRIVE: 'caught',
};

const WORDS = Object.fromEntries(STATUSES);

/** A status badge (colour and words) for an execution status or a state status. */
export function badge(status) {
  const st = EXECUTION_STATUS[status] || status;
  const words = EXECUTION_STATUS[status] ? status.replace('_', ' ').toLowerCase() : WORDS[st] || status;
  return h('span', { class: `badge st-${st}`, dataset: { status } }, words);
}

/** "850 ms", "4.2 s", "3 min 04 s", "2 h 05 min", "3 d 4 h". */
export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0 || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const pad = (n) => String(Math.floor(n)).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** A date as local "YYYY-MM-DD HH:MM:SS". */
export function dateTime(d) {
  if (!d) return '—';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Pretty JSON of a value or of a JSON string; other strings as they are. */
export function pretty(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** A copy of value with every string holding a JSON object or array parsed. */
export function expandJSON(value) {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return expandJSON(JSON.parse(t));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(expandJSON);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandJSON(v)]));
  return value;
}

/** A card: a titled section. */
export function card(title, attrs, ...children) {
  return h('section', { class: 'card', ...attrs }, title ? h('h2', {}, title) : null, ...children);
}
