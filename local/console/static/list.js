// The executions list and the "Start a document" form.

import { sfn, toDate } from './api.js';
import { DOCUMENT_ID, ExecutionList, executionARN } from './executions.js';
import { h, badge, duration, dateTime, card } from './dom.js';

const REFRESH_MS = 2000;
const SEARCH_DELAY_MS = 300;
const STATUS_FILTERS = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export function executionHref(arn) {
  return `#/execution/${encodeURIComponent(arn)}`;
}

/**
 * Renders the list page into root. ctx: {machines: [{stateMachineArn, name}],
 * machine: selected ARN, filters: {status, q}}. Returns a stop function.
 */
export function listView(root, ctx) {
  let timer = 0;
  let searchTimer = 0;
  let stopped = false;
  let searching = 0; // searches in flight
  let list = null;
  const rows = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true });
  const count = h('span', { class: 'count muted' });
  const listError = h('p', { class: 'notice error', hidden: true, role: 'alert' });
  const moreButton = h('button', { type: 'button', class: 'load-more', hidden: true, onclick: () => loadMore() }, 'Load more');

  const machineSelect = h('select', { name: 'machine', 'aria-label': 'State machine', onchange: () => { ctx.machine = machineSelect.value; reset(); } },
    ctx.machines.map((m) => h('option', { value: m.stateMachineArn, selected: m.stateMachineArn === ctx.machine }, m.name)));
  const statusSelect = h('select', { name: 'status', 'aria-label': 'Status', onchange: () => { ctx.filters.status = statusSelect.value; reset(); } },
    STATUS_FILTERS.map((s) => h('option', { value: s, selected: s === ctx.filters.status }, s ? s.replace('_', ' ').toLowerCase() : 'all statuses')));
  const nameInput = h('input', { type: 'search', name: 'q', placeholder: 'Filter by document', value: ctx.filters.q, 'aria-label': 'Filter by document',
    oninput: () => { ctx.filters.q = nameInput.value; render(); clearTimeout(searchTimer); searchTimer = setTimeout(search, SEARCH_DELAY_MS); } });

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
      empty,
      h('p', { class: 'more' }, moreButton))));

  /** Runs op on the current list; shows its failure; renders if the list is still current. */
  async function guarded(what, op) {
    const mine = list;
    try {
      await op(mine);
      if (stopped || mine !== list) return;
      listError.hidden = true;
    } catch (err) {
      if (stopped || mine !== list) return;
      listError.hidden = false;
      listError.textContent = `Could not ${what}: ${err.message}`;
    }
    render();
  }

  function reset() {
    list = ctx.machine ? new ExecutionList(sfn, ctx.machine, ctx.filters.status) : null;
    refresh().then(() => { if (ctx.filters.q.trim()) search(); });
  }

  async function refresh() {
    clearTimeout(timer);
    if (!list) {
      empty.hidden = false;
      empty.textContent = 'No state machine is deployed on this endpoint.';
      return;
    }
    const mine = list;
    await guarded('list executions', (l) => l.refresh());
    if (!stopped && mine === list) timer = setTimeout(refresh, REFRESH_MS);
  }

  function loadMore() {
    moreButton.disabled = true;
    guarded('list older executions', (l) => l.loadMore()).finally(() => { moreButton.disabled = false; });
  }

  /** Looks further back for the typed name when nothing loaded matches. */
  async function search() {
    const q = ctx.filters.q;
    if (!list || !q.trim() || list.matching(q).length || !list.more) return;
    searching++;
    render();
    await guarded('search older executions', (l) => l.search(q, () => ctx.filters.q === q && !stopped));
    searching--;
    render();
  }

  function render() {
    if (!list) return;
    const q = ctx.filters.q.trim();
    const shown = list.matching(q);
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
    count.textContent = `${shown.length}${list.more ? '+' : ''}`;
    moreButton.hidden = !list.more;
    empty.hidden = shown.length > 0;
    empty.textContent = emptyWords(list, q, searching);
  }

  reset();
  return () => { stopped = true; clearTimeout(timer); clearTimeout(searchTimer); };
}

function emptyWords(list, q, searching) {
  if (!list.loaded && !q) return 'No executions yet — start a document above.';
  if (searching) return `Searching older executions for “${q}”…`;
  if (list.more) return `None of the newest ${list.loaded} executions matches the filters. Load more to look further back.`;
  return 'No execution matches the filters.';
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
