import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactor, REDACTED } from '../../static/redact.js';
import { history, waiting, declined, TOKEN } from './history.mjs';

test('task tokens are redacted everywhere, including inside JSON strings and causes', () => {
  const h = history();
  declined(h, waiting(h));
  const redact = redactor(h.events);
  const out = JSON.stringify(redact(h.events));
  assert.equal(out.includes(TOKEN), false);
  assert.equal(out.includes(TOKEN.slice(0, 40)), false);
  const scheduled = JSON.parse(redact(h.events)[6].taskScheduledEventDetails.parameters);
  assert.equal(scheduled.Payload.taskToken, REDACTED);
  assert.equal(scheduled.Payload.signer, 'Bob');
  assert.equal(redact(h.events).at(-4).taskFailedEventDetails.cause, `no (token ${REDACTED})`);
});

test('a token learned from the history is redacted in other values too', () => {
  const h = history();
  waiting(h);
  const short = 'tok-1234567890';
  const redact = redactor([{ taskToken: short }]);
  assert.equal(redact({ cause: `bad ${short}!` }).cause, `bad ${REDACTED}!`);
});

test('what only looks like a token is redacted; ordinary values are not', () => {
  const redact = redactor();
  const arn = 'arn:aws:states:us-east-1:000000000000:execution:SigningStateMachine:contract-42-with-a-rather-long-document-identifier-here';
  const cases = [
    [{ TaskToken: 'x' }, { TaskToken: REDACTED }],
    [{ nested: { taskToken: 42 } }, { nested: { taskToken: REDACTED } }],
    [{ s: 'A'.repeat(120) }, { s: REDACTED }],
    [{ s: `pre ${'Zz9+/'.repeat(30)} post` }, { s: `pre ${REDACTED} post` }],
    [{ arn }, { arn }],
    [{ text: 'Clause 4 is not acceptable' }, { text: 'Clause 4 is not acceptable' }],
    [{ input: '{"documentId":"3","taskToken":"abc12345678"}' }, { input: `{"documentId":"3","taskToken":"${REDACTED}"}` }],
    [[1, null, true], [1, null, true]],
  ];
  for (const [input, want] of cases) assert.deepEqual(redact(input), want, JSON.stringify(input));
});
