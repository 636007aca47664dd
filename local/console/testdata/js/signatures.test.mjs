import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentOf, signingKeyOf } from '../../static/signatures.js';

const document = { bucket: 'docs', key: 'documents/7', versionId: 'v1', sha256: 'ab'.repeat(32) };
const envelope = (signer) => ({ signer, statement: { signer, documentId: '7', document }, jws: `h.${signer}.s` });
const exited = (name, output) => ({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: JSON.stringify(output) } });

test('the pinned document and the envelopes come from the states that exited', () => {
  const events = [
    { type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"documentId":"7"}' } },
    exited('Pin the document', { documentId: '7', document }),
    exited('Sign as Alice', envelope('Alice')),
    { type: 'TaskStateExited', stateExitedEventDetails: { name: 'broken', output: '{not json' } },
    exited('Wait for Bob to sign', envelope('Bob')),
    { type: 'ParallelStateExited', stateExitedEventDetails: { name: 'Collect signatures', output: JSON.stringify({ documentId: '7', document, signatures: [envelope('Alice'), envelope('Bob')] }) } },
  ];
  const found = documentOf(events);
  assert.deepEqual(found.pinned, { documentId: '7', document });
  assert.deepEqual(found.signatures.map((s) => s.signer), ['Alice', 'Bob']);
});

test('nothing is pinned before the pin state exits', () => {
  assert.deepEqual(documentOf([{ type: 'ExecutionStarted' }]), { pinned: null, signatures: [] });
});

test('the signing key is the one of the stack that runs the state machine', () => {
  const outputs = { A: { StateMachineArn: 'arn:a', SigningKeyArn: 'key-a' }, B: { StateMachineArn: 'arn:b', SigningKeyArn: 'key-b' } };
  assert.equal(signingKeyOf(outputs, 'arn:b'), 'key-b');
  assert.equal(signingKeyOf(outputs, 'arn:other'), '');
  assert.equal(signingKeyOf({ A: { SigningKeyArn: 'only' } }, 'arn:x'), 'only');
  assert.equal(signingKeyOf({}, 'arn:x'), '');
});
