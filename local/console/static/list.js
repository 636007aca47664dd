// The executions list and the "Start a document" form.

import { sfn, toDate } from './api.js';
import { h, badge, duration, dateTime, card } from './dom.js';

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,80}$/;
const REFRESH_MS = 2000;
const STATUS_FILTERS = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export function executionHref(arn) {
  return `#/execution/${encodeURIComponent(arn)}`;
}

/** The ARN an execution named name of a state machine has. */
function executionARN(stateMachineArn, name) {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Renders the list page into root. ctx: {machines: [{stateMachineArn, name}],
 * machine: selected ARN, filters: {status, q}}. Returns a stop function.
 */
export function listView(root, ctx) {
  let timer = 0;
  let stopped = false;
  const rows = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true });
  const count = h('span', { class: 'count muted' });
  const listError = h('p', { class: 'notice error', hidden: true, role: 'alert' });

  const machineSelect = h('select', { name: 'machine', 'aria-label': 'State machine', onchange: () => { ctx.machine = machineSelect.value; refresh(); } },
    ctx.machines.map((m) => h('option', { value: m.stateMachineArn, selected: m.stateMachineArn === ctx.machine }, m.name)));
  const statusSelect = h('select', { name: 'status', 'aria-label': 'Status', onchange: () => { ctx.filters.status = statusSelect.value; refresh(); } },
    STATUS_FILTERS.map((s) => h('option', { value: s, selected: s === ctx.filters.status }, s ? s.replace('_', ' ').toLowerCase() : 'all statuses')));
  const nameInput = h('input', { type: 'search', name: 'q', placeholder: 'Filter by document', value: ctx.filters.q, 'aria-label': 'Filter by document',
    oninput: () => { ctx.filters.q = nameInput.value; renderRows(last.executions, last.more); } });
  let last = { executions: [], more: false };

  root.replaceChildren(h('div', { class: 'page' },
    startCard(ctx),
    card(null, { class: 'card executions' },
      h('div', { class: 'card-head' },
        h('h2', {}, 'Executions ', count),
        h('div', { class: 'toolbar' }, ctx.machines.length > 1 ? machineSelect : null, statusSelect, nameInput)),
      listError,
      h('table', { class: 'table', id: 'executions' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'Document'), h('th', {}, 'Started'), h('th', { class: 'num' }, 'Duration'))),
        rows),
      empty)));

  async function refresh() {
    clearTimeout(timer);
    if (!ctx.machine) {
      empty.hidden = false;
      empty.textContent = 'No state machine is deployed on this endpoint.';
      return;
    }
    try {
      const body = { stateMachineArn: ctx.machine, maxResults: 100 };
      if (ctx.filters.status) body.statusFilter = ctx.filters.status;
      const page = await sfn('ListExecutions', body);
      if (stopped) return;
      listError.hidden = true;
      last = { executions: page.executions || [], more: Boolean(page.nextToken) };
      renderRows(last.executions, last.more);
    } catch (err) {
      if (stopped) return;
      listError.hidden = false;
      listError.textContent = `Could not list executions: ${err.message}`;
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  function renderRows(executions, more) {
    const q = ctx.filters.q.trim().toLowerCase();
    const shown = executions.filter((e) => !q || e.name.toLowerCase().includes(q));
    const now = Date.now();
    rows.replaceChildren(...shown.map((e) => {
      const start = toDate(e.startDate);
      const stop = toDate(e.stopDate);
      return h('tr', { dataset: { name: e.name } },
        h('td', {}, badge(e.status)),
        h('td', {}, h('a', { href: executionHref(e.executionArn) }, e.name)),
        h('td', { class: 'mono' }, dateTime(start)),
        h('td', { class: 'num mono' }, start ? duration((stop || new Date(now)) - start) : '—'));
    }));
    count.textContent = `${shown.length}${more ? '+' : ''}`;
    empty.hidden = shown.length > 0;
    empty.textContent = executions.length ? 'No execution matches the filters.' : 'No executions yet — start a document above.';
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

function startCard(ctx) {
  const input = h('input', { name: 'documentId', id: 'documentId', required: true, maxlength: 80, autocomplete: 'off',
    pattern: '[A-Za-z0-9_\\-]{1,80}', placeholder: 'e.g. contract-42', spellcheck: 'false' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Start signing');
  const message = h('p', { class: 'form-msg', id: 'start-msg', role: 'status' });
  const form = h('form', { id: 'start-form', class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); start(); } },
    h('label', { for: 'documentId' }, 'Document ID'), input, button);

  async function start() {
    const id = input.value.trim();
    message.className = 'form-msg';
    if (!DOCUMENT_ID.test(id)) {
      message.classList.add('error');
      message.textContent = 'A document ID is 1–80 characters of letters, digits, "_" and "-".';
      return;
    }
    button.disabled = true;
    message.textContent = `Starting ${id}…`;
    try {
      const out = await sfn('StartExecution', { stateMachineArn: ctx.machine, name: id, input: JSON.stringify({ documentId: id }) });
      location.hash = executionHref(out.executionArn);
    } catch (err) {
      message.classList.add('error');
      message.replaceChildren(...await startError(ctx, id, err));
    } finally {
      button.disabled = false;
    }
  }

  return card('Start a document', { class: 'card start' },
    h('p', { class: 'muted' }, 'Starts a signing run named after the document. Each document is signed once; sign again under a new ID.'),
    form, message);
}

async function startError(ctx, id, err) {
  if (err.code !== 'ExecutionAlreadyExists') return [`Could not start ${id}: ${err.code ? `${err.code}: ` : ''}${err.message}`];
  const arn = executionARN(ctx.machine, id);
  let status = '';
  try {
    status = (await sfn('DescribeExecution', { executionArn: arn })).status;
  } catch {
    // The link below still helps; the status is a nicety.
  }
  const what = status === 'RUNNING' ? 'is already being signed' : status ? `was already signed once (${status.replace('_', ' ').toLowerCase()})` : 'already has a run';
  return [`Document ${id} ${what}. `, h('a', { href: executionHref(arn) }, 'Open that run'),
    status && status !== 'RUNNING' ? ' — to sign it again, use a new ID such as ' : '',
    status && status !== 'RUNNING' ? h('code', {}, `${id}-v2`) : ''];
}
