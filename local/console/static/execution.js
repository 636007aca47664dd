// One execution: header, graph coloured by live status, signing panel, input
// and output, and the event history. Polls every second while it runs.

import { sfn, sfnAll, flowchart, toDate } from './api.js';
import { h, badge, duration, dateTime, pretty, expandJSON, card } from './dom.js';
import { deriveStatus, detailsOf, STATUSES } from './status.js';
import { redactor } from './redact.js';
import { renderGraph, statusText } from './graph.js';
import { renderSignPanel } from './sign.js';
import { documentOf, renderSignatures, verifyAll } from './signatures.js';

const POLL_MS = 1000;
const charts = new Map(); // state machine ARN → chart

async function chartFor(stateMachineArn) {
  if (!charts.has(stateMachineArn)) {
    const sm = await sfn('DescribeStateMachine', { stateMachineArn });
    charts.set(stateMachineArn, await flowchart(sm.definition));
  }
  return charts.get(stateMachineArn);
}

/** Renders the execution page into root; returns a stop function. */
export function executionView(root, ctx, executionArn) {
  let stopped = false;
  let timer = 0;
  let drawn = '';
  let historyCount = -1;
  const checks = { key: '', verdicts: null, failure: '' }; // the envelopes last sent to be verified, and the answer
  const name = executionArn.split(':').pop();
  const parts = {
    head: h('section', { class: 'card exec-head' }),
    error: h('p', { class: 'notice error', hidden: true, role: 'alert' }),
    sign: h('section', { class: 'card sign-panel', id: 'sign-panel', hidden: true }),
    document: h('section', { class: 'card', id: 'document', hidden: true }),
    graph: h('div', { class: 'graph', id: 'graph' }, h('p', { class: 'muted' }, 'Drawing…')),
    input: h('pre', { class: 'json', id: 'input' }),
    output: h('pre', { class: 'json', id: 'output' }),
    outputTitle: h('h2', {}, 'Output'),
    history: h('tbody'),
    historyCount: h('span', { class: 'count muted' }),
  };
  root.replaceChildren(h('div', { class: 'page' },
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, '← Executions'), h('span', { class: 'muted' }, ' / '), h('span', {}, name)),
    parts.error, parts.head, parts.sign, parts.document,
    h('div', { class: 'exec-grid' },
      card(null, { class: 'card graph-card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Graph'), legend()), parts.graph),
      h('div', { class: 'side' },
        card('Input', {}, parts.input),
        h('section', { class: 'card' }, parts.outputTitle, parts.output))),
    card(null, { class: 'card history' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Event history ', parts.historyCount)),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table events', id: 'history' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'ID'), h('th', {}, 'Type'), h('th', {}, 'Step'), h('th', { class: 'num' }, 'Elapsed'), h('th', {}, 'Details'))),
        parts.history)))));

  async function poll() {
    try {
      const desc = await sfn('DescribeExecution', { executionArn });
      const events = await sfnAll('GetExecutionHistory', { executionArn, maxResults: 1000 }, 'events');
      const chart = await chartFor(desc.stateMachineArn);
      if (stopped) return;
      parts.error.hidden = true;
      const redact = redactor(events, desc);
      const status = deriveStatus(chart, events);
      renderHead(parts.head, redact(desc));
      renderSignPanel(parts.sign, ctx, desc, desc.status === 'RUNNING' ? status.waiting : []);
      renderIO(parts, redact(desc));
      showSignatures(desc, documentOf(events));
      if (events.length !== historyCount) {
        historyCount = events.length;
        renderHistory(parts, redact(events), status.stateOf);
      }
      const text = statusText(chart, status);
      if (text !== drawn) {
        await renderGraph(parts.graph, chart, status);
        parts.graph.dataset.execution = status.execution;
        drawn = text;
      }
      if (desc.status !== 'RUNNING') return; // ended: the page is final
    } catch (err) {
      if (stopped) return;
      parts.error.hidden = false;
      parts.error.textContent = err.code === 'ExecutionDoesNotExist'
        ? `There is no execution ${executionArn}.`
        : `Could not load the execution: ${err.code ? `${err.code}: ` : ''}${err.message}`;
      if (err.code === 'ExecutionDoesNotExist') return;
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  // Verifies the envelopes whenever the run has new ones; the card shows
  // "checking…" until the server answers.
  function showSignatures(desc, found) {
    renderSignatures(parts.document, found, checks.verdicts, checks.failure);
    const key = found.signatures.map((s) => s.jws).join();
    if (!found.pinned || !found.signatures.length || key === checks.key) return;
    checks.key = key;
    verifyAll(ctx, desc, found.pinned, found.signatures).then(
      (verdicts) => { if (checks.key === key) Object.assign(checks, { verdicts, failure: '' }); },
      (err) => { if (checks.key === key) Object.assign(checks, { verdicts: null, failure: err.code ? `${err.code}: ${err.message}` : err.message }); },
    ).then(() => { if (!stopped && checks.key === key) renderSignatures(parts.document, found, checks.verdicts, checks.failure); });
  }

  poll();
  return () => { stopped = true; clearTimeout(timer); };
}

function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Legend' },
    STATUSES.map(([st, words]) => h('li', {}, h('span', { class: `swatch st-${st}` }), words)));
}

function renderHead(el, desc) {
  const start = toDate(desc.startDate);
  const stop = toDate(desc.stopDate);
  const facts = [
    ['Started', dateTime(start)],
    [stop ? 'Stopped' : 'Running for', stop ? dateTime(stop) : duration(Date.now() - start)],
    ['Duration', stop ? duration(stop - start) : '—'],
    ['State machine', desc.stateMachineArn.split(':').pop()],
  ];
  const failure = desc.error || desc.cause
    ? h('p', { class: `notice ${desc.status === 'TIMED_OUT' ? 'timedout' : 'error'}` },
      h('strong', {}, desc.error || 'Error'), desc.cause ? ` — ${desc.cause}` : '')
    : null;
  el.replaceChildren(...[
    h('div', { class: 'title-line' }, h('h1', {}, desc.name), h('span', { id: 'exec-status' }, badge(desc.status))),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', { class: 'mono' }, v)))),
    failure].filter(Boolean));
}

function renderIO(parts, desc) {
  parts.input.textContent = pretty(desc.input);
  if (desc.status === 'SUCCEEDED') {
    parts.outputTitle.textContent = 'Output';
    parts.output.textContent = pretty(desc.output);
  } else if (desc.status === 'RUNNING') {
    parts.outputTitle.textContent = 'Output';
    parts.output.textContent = 'Not yet: the execution is running.';
  } else {
    parts.outputTitle.textContent = 'Error';
    parts.output.textContent = pretty({ error: desc.error, cause: desc.cause });
  }
}

const BAD_EVENT = /(Failed|TimedOut|Aborted)$/;

function renderHistory(parts, events, stateOf) {
  const t0 = toDate(events[0]?.timestamp);
  parts.historyCount.textContent = String(events.length);
  parts.history.replaceChildren(...events.map((e) => {
    const d = detailsOf(e);
    const at = toDate(e.timestamp);
    const expanded = expandJSON(d);
    const body = pretty(expanded);
    const summary = JSON.stringify(expanded).slice(0, 140);
    return h('tr', { class: BAD_EVENT.test(e.type) ? 'bad' : e.type.endsWith('Succeeded') ? 'good' : '' },
      h('td', { class: 'num mono' }, e.id),
      h('td', { class: 'mono' }, e.type),
      h('td', {}, stateOf[e.id] || ''),
      h('td', { class: 'num mono', title: dateTime(at) }, t0 && at ? `+${duration(at - t0)}` : ''),
      h('td', { class: 'details' }, body === '{}' ? '' : h('details', {}, h('summary', { class: 'mono' }, summary), h('pre', { class: 'json' }, body))));
  }));
}
