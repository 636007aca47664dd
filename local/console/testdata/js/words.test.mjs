import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeWords, findKey } from '../../static/sign.js';
import { duration, expandJSON } from '../../static/dom.js';

test('complete-signature outcomes in words', () => {
  const p = { documentId: '3', signer: 'Bob', decision: 'sign' };
  const cases = [
    [{ functionError: '', payload: { status: 'SIGNED' } }, true, 'Bob signed document 3 (status SIGNED).'],
    [{ functionError: '', payload: {} }, true, 'Bob signed document 3.'],
    [{ functionError: 'Unhandled', payload: { errorType: 'SignatureAlreadyCompleted', errorMessage: 'x' } }, false, 'Bob has already signed or declined document 3; nothing more to do.'],
    [{ functionError: 'Unhandled', payload: { errorType: 'SignatureServiceUnavailable' } }, false, 'The signing service is temporarily unavailable. Try again in a moment.'],
    [{ functionError: 'Unhandled', payload: { errorType: 'InvalidInput', errorMessage: 'unknown signer "Eve"' } }, false, 'The request was rejected as invalid: unknown signer "Eve"'],
    [{ functionError: 'Unhandled', payload: { errorType: 'Runtime.ExitError', errorMessage: 'exit status 2' } }, false, 'The function failed with Runtime.ExitError: exit status 2.'],
    [{ functionError: 'Unhandled', payload: {} }, false, 'The function failed with Unhandled.'],
  ];
  for (const [result, ok, text] of cases) {
    const got = outcomeWords(result, p);
    assert.equal(got.ok, ok, text);
    assert.equal(got.text, text);
  }
  assert.equal(outcomeWords({ functionError: '', payload: { status: 'DECLINED' } }, { ...p, decision: 'decline' }).text,
    'Bob declined document 3 (status DECLINED).');
});

test('findKey looks through nested parameters', () => {
  const params = { FunctionName: 'f', Payload: { documentId: '3', signer: 'Bob', nested: { signer: 'Eve' } } };
  assert.equal(findKey(params, 'signer'), 'Bob');
  assert.equal(findKey(params, 'documentId'), '3');
  assert.equal(findKey(params, 'missing'), undefined);
  assert.equal(findKey(null, 'signer'), undefined);
});

test('durations read at a glance', () => {
  const cases = [[850, '850 ms'], [4200, '4.2 s'], [184000, '3 min 04 s'], [2 * 3600e3 + 5 * 60e3, '2 h 05 min'], [(3 * 24 + 4) * 3600e3, '3 d 4 h'], [-1, '—'], [null, '—']];
  for (const [ms, want] of cases) assert.equal(duration(ms), want, String(ms));
});

test('expandJSON parses JSON held in strings', () => {
  assert.deepEqual(expandJSON({ input: '{"a":"[1]"}', s: 'plain', n: 1 }), { input: { a: [1] }, s: 'plain', n: 1 });
  assert.deepEqual(expandJSON({ bad: '{not json' }), { bad: '{not json' });
});
