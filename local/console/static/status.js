// Derives each state's live status from an execution's history
// (GetExecutionHistory events, oldest first) and the flowchart's states.
//
// Every "<Type>StateEntered" event starts an instance of a state. Later events
// belong to the instance their previousEventId chain leads back to (falling
// back to the latest open instance of the matching state type when a server
// does not chain events). A state's status is its instances' status: waiting
// or running if any instance is, else that of the instance that finished last.

/** Statuses in legend order, with the words the page shows. */
export const STATUSES = [
  ['notstarted', 'Not started'],
  ['running', 'Running'],
  ['waiting', 'Waiting for callback'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
  ['caught', 'Caught'],
  ['timedout', 'Timed out'],
  ['aborted', 'Aborted'],
];

// Event type prefixes whose events belong to a state of this type.
const FAMILIES = [
  ['LambdaFunction', 'Task'], ['Activity', 'Task'], ['Task', 'Task'],
  ['ParallelState', 'Parallel'], ['MapIteration', 'Map'], ['MapRun', 'Map'], ['MapState', 'Map'],
];

// Effect of an event on its instance's status.
const EFFECTS = {
  Scheduled: 'running', Started: 'running', Succeeded: 'succeeded',
  Failed: 'failed', StartFailed: 'failed', ScheduleFailed: 'failed', SubmitFailed: 'failed',
  TimedOut: 'timedout',
};

const ACTIVE = new Set(['running', 'waiting']);
const FAILURE = new Set(['failed', 'timedout']);

/** The details object of an event: its one "...EventDetails" field. */
export function detailsOf(event) {
  for (const [k, v] of Object.entries(event)) if (k.endsWith('EventDetails')) return v || {};
  return {};
}

function parseJSON(s) {
  if (typeof s !== 'string') return s ?? null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/**
 * @param {{states: Array<{path,name,type,parent,branch,catch}>}} chart
 * @param {Array<object>} events history events, oldest first
 * @returns {{nodes: Object<string,string>, execution: string, start: string, end: string,
 *            waiting: Array<{path,name,parameters,resource,since}>, stateOf: Object<number,string>}}
 *          nodes maps state path → status; waiting lists tasks waiting for a callback
 *          (parameters unredacted: redact before showing); stateOf maps event id → state name.
 */
export function deriveStatus(chart, events) {
  return new Deriver(chart).run(events);
}

class Deriver {
  constructor(chart) {
    this.states = new Map((chart.states || []).map((s) => [s.path, s]));
    this.byName = new Map();
    for (const s of chart.states || []) {
      if (!this.byName.has(s.name)) this.byName.set(s.name, []);
      this.byName.get(s.name).push(s);
    }
    this.events = new Map();
    this.owner = new Map(); // event id → instance
    this.lanes = new Map(); // ParallelStateStarted event id → branches entered so far
    this.instances = [];
    this.execution = 'RUNNING';
    this.started = false;
  }

  run(events) {
    for (const e of events) {
      this.events.set(e.id, e);
      this.apply(e);
    }
    return this.result();
  }

  apply(e) {
    const t = e.type || '';
    const d = detailsOf(e);
    let m;
    if ((m = /^(\w+)StateEntered$/.exec(t))) return this.enter(e, m[1], d.name);
    if ((m = /^(\w+)StateExited$/.exec(t))) return this.exit(e, m[1], d.name);
    if ((m = /^(\w+)StateAborted$/.exec(t))) return this.update(this.ownerOf(e, m[1]), e, 'aborted', true);
    if (t.startsWith('Execution')) return this.executionEvent(t.slice('Execution'.length));
    for (const [prefix, type] of FAMILIES) {
      if (!t.startsWith(prefix)) continue;
      const inst = this.ownerOf(e, type);
      if (!inst) return;
      const what = t.slice(prefix.length);
      if (what === 'Scheduled' && prefix !== 'MapIteration') {
        inst.parameters = parseJSON(d.parameters ?? d.input);
        inst.resource = d.resource || '';
      }
      if (what === 'Submitted') {
        const resource = d.resource || inst.resource || '';
        const waiting = resource.endsWith('.waitForTaskToken');
        if (waiting) inst.since = e.timestamp;
        return this.update(inst, e, waiting ? 'waiting' : 'running');
      }
      if (prefix === 'MapIteration' || prefix === 'MapRun') return this.update(inst, e, inst.status);
      if (what === 'Started' && inst.status === 'waiting') return this.update(inst, e, 'waiting');
      if (what in EFFECTS) {
        if (FAILURE.has(EFFECTS[what])) inst.error = d.error || '';
        return this.update(inst, e, EFFECTS[what]);
      }
      return this.update(inst, e, inst.status);
    }
  }

  enter(e, type, name) {
    const path = this.resolve(name, this.scopeOf(e));
    let failed = this.owner.get(e.previousEventId);
    if (!this.events.has(e.previousEventId) && path) {
      // Unchained history: the latest failed state whose Catch leads here.
      failed = [...this.instances].reverse().find(
        (i) => FAILURE.has(i.status) && !i.done && (this.states.get(i.path)?.catch || []).includes(path));
    }
    if (failed && FAILURE.has(failed.status)) {
      failed.status = 'caught';
      failed.done = true;
    }
    const inst = { path, type, name, status: type === 'Fail' ? 'failed' : 'running', last: e.id, done: type === 'Fail' };
    this.instances.push(inst);
    this.owner.set(e.id, inst);
  }

  exit(e, type, name) {
    const inst = this.ownerOf(e, type, name);
    if (inst) this.update(inst, e, FAILURE.has(inst.status) ? 'caught' : 'succeeded', true);
  }

  update(inst, e, status, done = false) {
    if (!inst) return;
    inst.status = status;
    inst.last = e.id;
    if (done) inst.done = true;
    this.owner.set(e.id, inst);
  }

  executionEvent(what) {
    if (what === 'Started' || what === 'Redriven') {
      this.started = true;
      this.execution = 'RUNNING';
      return;
    }
    const final = { Succeeded: ['SUCCEEDED', 'succeeded'], Failed: ['FAILED', 'aborted'], TimedOut: ['TIMED_OUT', 'timedout'], Aborted: ['ABORTED', 'aborted'] }[what];
    if (!final) return;
    this.execution = final[0];
    for (const inst of this.instances) {
      if (!inst.done && ACTIVE.has(inst.status)) {
        // As `signctl watch` shows it: the run's timeout times out the open
        // tasks and stops (aborts) the Parallel or Map states around them.
        const box = inst.type === 'Parallel' || inst.type === 'Map';
        inst.status = what === 'TimedOut' && box ? 'aborted' : final[1];
      }
      inst.done = true;
    }
  }

  // The open instance of a state type the event belongs to: the first one on
  // its previousEventId chain. Without a chain (best effort): a task's
  // Scheduled event goes to the oldest task not yet scheduled; other events
  // to the latest active instance whose resource matches the event's.
  ownerOf(e, type, name) {
    const fits = (inst) => inst && !inst.done && inst.type === type && (!name || inst.name === name);
    const seen = new Set();
    for (let id = e.previousEventId; id && !seen.has(id); ) {
      seen.add(id);
      const inst = this.owner.get(id);
      if (fits(inst)) return inst;
      id = this.events.get(id)?.previousEventId;
    }
    const open = this.instances.filter(fits);
    if (/Scheduled$/.test(e.type)) return open.find((i) => i.resource === undefined) || open.at(-1) || null;
    const resource = detailsOf(e).resource;
    const same = open.filter((i) => !resource || !i.resource || i.resource === resource);
    const pool = same.length ? same : open;
    return pool.findLast((i) => ACTIVE.has(i.status)) || pool.at(-1) || null;
  }

  // Where a state entered by event e sits: inside the Parallel or Map whose
  // start event precedes it (the n-th state entered after a Parallel starts
  // begins its n-th branch), or beside the state whose event precedes it.
  scopeOf(e) {
    const prevEvent = this.events.get(e.previousEventId);
    const inst = this.owner.get(e.previousEventId);
    if (!prevEvent || !inst || !inst.path) return null;
    if (prevEvent.type === 'ParallelStateStarted') {
      const entered = (this.lanes.get(prevEvent.id) || 0) + 1;
      this.lanes.set(prevEvent.id, entered);
      return { parent: inst.path, branch: entered };
    }
    if (prevEvent.type === 'MapStateStarted' || prevEvent.type === 'MapIterationStarted') {
      return { parent: inst.path };
    }
    const s = this.states.get(inst.path);
    return s ? { parent: s.parent || '', branch: s.branch || 0 } : null;
  }

  resolve(name, scope) {
    const candidates = this.byName.get(name) || [];
    if (candidates.length <= 1 || !scope) return candidates[0]?.path ?? null;
    const inParent = candidates.filter((s) => (s.parent || '') === scope.parent);
    const inBranch = inParent.filter((s) => !scope.branch || (s.branch || 0) === scope.branch);
    return (inBranch[0] || inParent[0] || candidates[0]).path;
  }

  result() {
    const byPath = new Map();
    for (const inst of this.instances) {
      if (!inst.path) continue;
      if (!byPath.has(inst.path)) byPath.set(inst.path, []);
      byPath.get(inst.path).push(inst);
    }
    const nodes = {};
    for (const path of this.states.keys()) nodes[path] = 'notstarted';
    for (const [path, list] of byPath) {
      if (list.some((i) => i.status === 'waiting')) nodes[path] = 'waiting';
      else if (list.some((i) => i.status === 'running')) nodes[path] = 'running';
      else nodes[path] = list.reduce((a, b) => (b.last > a.last ? b : a)).status;
    }
    const end = { SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'timedout', ABORTED: 'aborted' }[this.execution] || 'notstarted';
    const waiting = this.instances
      .filter((i) => i.status === 'waiting' && i.path)
      .map((i) => ({ path: i.path, name: i.name, parameters: i.parameters, resource: i.resource, since: i.since }));
    const stateOf = {};
    for (const [id, inst] of this.owner) stateOf[id] = inst.name;
    return { nodes, execution: this.execution, start: this.started ? 'succeeded' : 'notstarted', end, waiting, stateOf };
  }
}
