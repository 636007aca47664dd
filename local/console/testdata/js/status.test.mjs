import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deriveStatus } from '../../static/status.js';
import { history, waiting, signed, declined, timedOut } from './history.mjs';

// The chart of testdata/signing.asl.json, drawn by the Go test that runs this file.
const chart = JSON.parse(readFileSync(process.env.DOCSIGN_TEST_CHART, 'utf8'));

const P = 'Collect signatures';
const ALICE = 'Collect signatures/branch 1/Alice signs';
const BOB = 'Collect signatures/branch 2/Wait for Bob';

for (const chained of [true, false]) {
  const how = chained ? 'chained' : 'unchained (no previousEventId)';

  test(`waiting for a callback, ${how}`, () => {
    const h = history(chained);
    waiting(h);
    const got = deriveStatus(chart, h.events);
    assert.deepEqual(got.nodes, { [P]: 'running', [ALICE]: 'succeeded', [BOB]: 'waiting', Signed: 'notstarted', Declined: 'notstarted' });
    assert.equal(got.start, 'succeeded');
    assert.equal(got.end, 'notstarted');
    assert.equal(got.execution, 'RUNNING');
    assert.equal(got.waiting.length, 1);
    assert.equal(got.waiting[0].name, 'Wait for Bob');
    assert.equal(got.waiting[0].parameters.Payload.signer, 'Bob');
    assert.equal(got.waiting[0].since, h.events[9].timestamp);
    assert.equal(got.stateOf[6], 'Alice signs');
    assert.equal(got.stateOf[7], 'Wait for Bob');
  });

  test(`signed, ${how}`, () => {
    const h = history(chained);
    signed(h, waiting(h));
    const got = deriveStatus(chart, h.events);
    assert.deepEqual(got.nodes, { [P]: 'succeeded', [ALICE]: 'succeeded', [BOB]: 'succeeded', Signed: 'succeeded', Declined: 'notstarted' });
    assert.equal(got.end, 'succeeded');
    assert.deepEqual(got.waiting, []);
  });

  test(`declined: the task failed, the Parallel's Catch caught it, ${how}`, () => {
    const h = history(chained);
    declined(h, waiting(h));
    const got = deriveStatus(chart, h.events);
    assert.deepEqual(got.nodes, { [P]: 'caught', [ALICE]: 'succeeded', [BOB]: 'failed', Signed: 'notstarted', Declined: 'failed' });
    assert.equal(got.end, 'failed');
    assert.equal(got.execution, 'FAILED');
  });

  test(`timed out while waiting, ${how}`, () => {
    const h = history(chained);
    timedOut(h, waiting(h));
    const got = deriveStatus(chart, h.events);
    assert.deepEqual(got.nodes, { [P]: 'aborted', [ALICE]: 'succeeded', [BOB]: 'timedout', Signed: 'notstarted', Declined: 'notstarted' });
    assert.equal(got.end, 'timedout');
  });
}

test('a retried task runs again; an uncaught failure stays failed', () => {
  const h = history();
  const { bob } = waiting(h);
  const failed = h.add('TaskFailed', bob, { error: 'Lambda.ServiceException' });
  let again = h.add('TaskScheduled', failed, { resource: 'invoke.waitForTaskToken', parameters: '{}' });
  assert.equal(deriveStatus(chart, h.events).nodes[BOB], 'running');
  again = h.add('TaskFailed', again, { error: 'Boom' });
  const pf = h.add('ParallelStateFailed', again);
  h.add('ExecutionFailed', pf, { error: 'Boom' });
  const got = deriveStatus(chart, h.events);
  assert.equal(got.nodes[BOB], 'failed');
  assert.equal(got.nodes[P], 'failed');
  assert.equal(got.end, 'failed');
});

test('an aborted execution marks what was in progress aborted', () => {
  const h = history();
  const { bob } = waiting(h);
  h.add('ExecutionAborted', bob, {});
  const got = deriveStatus(chart, h.events);
  assert.equal(got.nodes[BOB], 'aborted');
  assert.equal(got.nodes[ALICE], 'succeeded');
  assert.equal(got.end, 'aborted');
});

test('states with the same name in two branches are told apart', () => {
  const twin = {
    states: [
      { path: 'P', name: 'P', type: 'Parallel' },
      { path: 'P/branch 1/Wait', name: 'Wait', type: 'Task', parent: 'P', branch: 1 },
      { path: 'P/branch 1/Next', name: 'Next', type: 'Pass', parent: 'P', branch: 1 },
      { path: 'P/branch 2/Wait', name: 'Wait', type: 'Task', parent: 'P', branch: 2 },
    ],
  };
  const h = history();
  const s = h.add('ExecutionStarted', 0, {});
  const pe = h.add('ParallelStateEntered', s, { name: 'P' });
  const ps = h.add('ParallelStateStarted', pe);
  const w1 = h.add('TaskStateEntered', ps, { name: 'Wait' });
  const w2 = h.add('TaskStateEntered', ps, { name: 'Wait' });
  const sub = h.add('TaskSubmitted', w2, { resource: 'invoke.waitForTaskToken' });
  const ok = h.add('TaskSucceeded', w1, { output: '{}' });
  h.add('TaskStateExited', ok, { name: 'Wait' });
  assert.ok(sub);
  const got = deriveStatus(twin, h.events);
  assert.deepEqual(got.nodes, { P: 'running', 'P/branch 1/Wait': 'succeeded', 'P/branch 1/Next': 'notstarted', 'P/branch 2/Wait': 'waiting' });
});

test('events of states the chart does not know are ignored', () => {
  const h = history();
  const s = h.add('ExecutionStarted', 0, {});
  h.add('PassStateEntered', s, { name: 'Not in the chart' });
  const got = deriveStatus(chart, h.events);
  assert.equal(Object.values(got.nodes).every((v) => v === 'notstarted'), true);
});
