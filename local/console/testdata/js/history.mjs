// AWS-shaped execution histories for the signing state machine
// (testdata/signing.asl.json), built event by event.

export const TOKEN = 'AAAAKgAAAAIAAAAAAAAAAf3k9qZp+J2vQ/8y0bSxVh7m1Wc3fQxY1eT0hLr9Uu0dKpXwF8rN2cG6aJ5sZ4yB7tE1oM3iP9lQ0vH6fD2gS8kY4nW1xC5zA7bU3eR9tO2pL6mK0jI4hG8fE1dC5bA9zY3xW7vU1tS5rQ9pO3nM7lK1jI5hG9fE3dC7bA1zY5xW9vU3tS7rQ==';

/** A history builder: add(type, prev, details) → id; chained=false drops previousEventId. */
export function history(chained = true) {
  const events = [];
  const add = (type, prev, details, key) => {
    const id = events.length + 1;
    const e = { id, type, timestamp: 1700000000 + id / 10 };
    if (chained) e.previousEventId = prev;
    if (details) e[key || detailsKey(type)] = details;
    events.push(e);
    return id;
  };
  return { events, add };
}

function detailsKey(type) {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return type[0].toLowerCase() + type.slice(1) + 'EventDetails';
}

/** Alice signed, Bob waits on his token. Returns ids later events chain to. */
export function waiting(h) {
  const input = JSON.stringify({ documentId: '3' });
  const started = h.add('ExecutionStarted', 0, { input });
  const entered = h.add('ParallelStateEntered', started, { name: 'Collect signatures', input });
  const parallel = h.add('ParallelStateStarted', entered);
  let alice = h.add('TaskStateEntered', parallel, { name: 'Alice signs', input });
  let bob = h.add('TaskStateEntered', parallel, { name: 'Wait for Bob', input });
  alice = h.add('TaskScheduled', alice, { resourceType: 'lambda', resource: 'invoke', parameters: JSON.stringify({ Payload: { documentId: '3', signer: 'Alice' } }) });
  bob = h.add('TaskScheduled', bob, { resourceType: 'lambda', resource: 'invoke.waitForTaskToken',
    parameters: JSON.stringify({ FunctionName: 'RequestSignature', Payload: { taskToken: TOKEN, documentId: '3', signer: 'Bob' } }) });
  alice = h.add('TaskStarted', alice, { resourceType: 'lambda', resource: 'invoke' });
  bob = h.add('TaskStarted', bob, { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
  bob = h.add('TaskSubmitted', bob, { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', output: '{"Payload":{"status":"PENDING"}}' });
  alice = h.add('TaskSucceeded', alice, { resourceType: 'lambda', resource: 'invoke', output: '{}' });
  h.add('TaskStateExited', alice, { name: 'Alice signs', output: '{}' });
  return { bob };
}

export function signed(h, { bob }) {
  const done = h.add('TaskSucceeded', bob, { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', output: '{}' });
  const exited = h.add('TaskStateExited', done, { name: 'Wait for Bob', output: '{}' });
  const ok = h.add('ParallelStateSucceeded', exited);
  const left = h.add('ParallelStateExited', ok, { name: 'Collect signatures', output: '{}' });
  const s = h.add('SucceedStateEntered', left, { name: 'Signed', input: '{}' });
  const e = h.add('SucceedStateExited', s, { name: 'Signed', output: '{}' });
  h.add('ExecutionSucceeded', e, { output: '{}' });
}

export function declined(h, { bob }) {
  const failed = h.add('TaskFailed', bob, { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'SignatureDeclined', cause: `no (token ${TOKEN})` });
  const pf = h.add('ParallelStateFailed', failed);
  const f = h.add('FailStateEntered', pf, { name: 'Declined', input: '{}' });
  h.add('ExecutionFailed', f, { error: 'SignatureDeclined', cause: 'no' });
}

export function timedOut(h, { bob }) {
  h.add('ExecutionTimedOut', bob, { error: 'States.Timeout' });
}
