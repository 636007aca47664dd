// The console's entry point: loads the state machines and the stack outputs,
// then routes between the executions list (#/), one execution
// (#/execution/<ARN>) and the outbox (#/outbox) without reloading the page.

import { sfnAll, outputs } from './api.js';
import { h } from './dom.js';
import { listView } from './list.js';
import { executionView } from './execution.js';
import { outboxView } from './outbox.js';

const root = document.getElementById('app');
const ctx = { machines: [], machine: '', outputs: {}, filters: { status: '', q: '' } };
let stop = () => {};

async function load() {
  document.getElementById('endpoint').textContent = location.host;
  const [machines, outs] = await Promise.all([sfnAll('ListStateMachines', { maxResults: 1000 }, 'stateMachines'), outputs()]);
  ctx.machines = machines.sort((a, b) => a.name.localeCompare(b.name));
  ctx.outputs = outs;
  const fromOutputs = Object.values(outs).map((o) => o.StateMachineArn).find((arn) => machines.some((m) => m.stateMachineArn === arn));
  ctx.machine = fromOutputs || ctx.machines[0]?.stateMachineArn || '';
}

function route() {
  stop();
  const m = /^#\/execution\/(.+)$/.exec(location.hash);
  if (m) stop = executionView(root, ctx, decodeURIComponent(m[1]));
  else if (location.hash === '#/outbox') stop = outboxView(root);
  else stop = listView(root, ctx);
  for (const a of document.querySelectorAll('.nav a')) {
    a.classList.toggle('current', a.getAttribute('href') === (location.hash === '#/outbox' ? '#/outbox' : '#/'));
  }
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', route);
load().then(route, (err) => {
  root.replaceChildren(h('div', { class: 'page' }, h('p', { class: 'notice error', role: 'alert' },
    `Cannot reach the Step Functions API on ${location.host}: ${err.code ? `${err.code}: ` : ''}${err.message}`)));
});
