import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecutionList, PAGE_SIZE, REFRESH_PAGES, SEARCH_PAGES, executionARN, nameMatches } from '../../static/executions.js';

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:Signing';
/** Run i's name; padded, so no name holds another. */
const name = (i) => `doc-${String(i).padStart(4, '0')}`;

class AwsError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

/**
 * A Step Functions stand-in holding n executions, name(0) the oldest; its
 * nextToken is a position, as the local engine's is. calls records each call.
 */
function fakeSFN(n, status = (i) => (i % 2 ? 'SUCCEEDED' : 'RUNNING')) {
  const runs = Array.from({ length: n }, (_, i) => ({
    executionArn: executionARN(MACHINE, name(i)), stateMachineArn: MACHINE, name: name(i), status: status(i), startDate: 1700000000 + i,
  }));
  const calls = [];
  const call = async (action, body) => {
    calls.push({ action, ...body });
    if (action === 'DescribeExecution') {
      const e = runs.find((r) => r.executionArn === body.executionArn);
      if (!e) throw new AwsError('ExecutionDoesNotExist');
      return { ...e, input: '{}' };
    }
    assert.equal(action, 'ListExecutions');
    const list = runs.filter((r) => !body.statusFilter || r.status === body.statusFilter).reverse();
    const from = body.nextToken ? Number(body.nextToken) : 0;
    const page = { executions: list.slice(from, from + body.maxResults) };
    if (from + body.maxResults < list.length) page.nextToken = String(from + body.maxResults);
    return page;
  };
  return { runs, calls, call };
}

const lists = (calls) => calls.filter((c) => c.action === 'ListExecutions');

test('refresh lists the newest page; loadMore follows nextToken', async () => {
  const f = fakeSFN(PAGE_SIZE * 2 + 10);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  assert.equal(l.loaded, PAGE_SIZE);
  assert.ok(l.more);
  assert.equal(l.matching('')[0].name, name(PAGE_SIZE * 2 + 9));
  await l.loadMore();
  await l.loadMore();
  assert.equal(l.loaded, PAGE_SIZE * 2 + 10);
  assert.equal(l.more, false);
  assert.equal(l.matching('').at(-1).name, name(0));
  assert.deepEqual(lists(f.calls).map((c) => c.nextToken), [undefined, String(PAGE_SIZE), String(PAGE_SIZE * 2)]);
});

test('refresh lists again as many pages as are loaded, with live statuses', async () => {
  const f = fakeSFN(PAGE_SIZE * 3);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  await l.loadMore();
  f.runs[5].status = 'FAILED';
  f.calls.length = 0;
  await l.refresh();
  assert.equal(lists(f.calls).length, 2);
  assert.equal(l.loaded, PAGE_SIZE * 2);
  assert.ok(l.more);
  assert.equal(l.matching('doc-0105')[0].status, 'SUCCEEDED');
  f.runs[105].status = 'ABORTED';
  await l.refresh();
  assert.equal(l.matching('doc-0105')[0].status, 'ABORTED');
});

test('refresh lists at most REFRESH_PAGES again and keeps older pages as loaded', async () => {
  const f = fakeSFN(PAGE_SIZE * 6);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  for (let i = 0; i < 4; i++) await l.loadMore();
  assert.equal(l.loaded, PAGE_SIZE * 5);
  f.calls.length = 0;
  await l.refresh();
  assert.equal(lists(f.calls).length, REFRESH_PAGES);
  assert.equal(l.loaded, PAGE_SIZE * 5, 'the older pages stay');
  await l.loadMore();
  assert.equal(l.loaded, PAGE_SIZE * 6);
  assert.equal(l.more, false);
});

test('a name search loads older pages until one matches, then stops', async () => {
  const f = fakeSFN(PAGE_SIZE * 4);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  assert.deepEqual(l.matching('doc-0150'), []);
  const got = await l.search('DOC-0150');
  assert.deepEqual(got.map((e) => e.name), ['doc-0150']);
  // Pages: newest (300–399), then 200–299, then 100–199 holds 150.
  assert.equal(lists(f.calls).length, 3);
  assert.ok(l.more);
});

test('past the search pages, the exact name is described', async () => {
  const n = PAGE_SIZE * (SEARCH_PAGES + 3);
  const f = fakeSFN(n);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  const got = await l.search(' doc-0008 ');
  assert.deepEqual(got.map((e) => [e.name, e.status]), [['doc-0008', 'RUNNING']]);
  assert.equal(lists(f.calls).length, 1 + SEARCH_PAGES);
  assert.deepEqual(f.calls.at(-1), { action: 'DescribeExecution', executionArn: executionARN(MACHINE, 'doc-0008') });
  assert.deepEqual(Object.keys(got[0]).sort(), ['executionArn', 'name', 'startDate', 'stateMachineArn', 'status']);
  // A refresh keeps it, described again while it runs, and no more once it has ended.
  f.runs[8].status = 'ABORTED';
  await l.refresh();
  assert.deepEqual(l.matching('doc-0008').map((e) => e.status), ['ABORTED']);
  f.calls.length = 0;
  await l.refresh();
  assert.deepEqual(f.calls.filter((c) => c.action === 'DescribeExecution'), []);
  assert.deepEqual(l.matching('doc-0008').map((e) => e.status), ['ABORTED']);
});

test('no match anywhere: the lookup misses quietly; substrings are not looked up', async () => {
  const f = fakeSFN(PAGE_SIZE * (SEARCH_PAGES + 2));
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  assert.deepEqual(await l.search('nope-1'), []);
  assert.equal(f.calls.at(-1).action, 'DescribeExecution');
  assert.ok(l.more);
  f.calls.length = 0;
  assert.deepEqual(await l.search('no such doc'), []);
  assert.deepEqual(f.calls.filter((c) => c.action === 'DescribeExecution'), []);
});

test('the status filter applies to ListExecutions and to a described run', async () => {
  const f = fakeSFN(PAGE_SIZE * (SEARCH_PAGES + 3) * 2);
  const l = new ExecutionList(f.call, MACHINE, 'RUNNING');
  await l.refresh();
  assert.equal(f.calls[0].statusFilter, 'RUNNING');
  assert.ok(l.matching('').every((e) => e.status === 'RUNNING'));
  assert.deepEqual(await l.search('doc-0003'), [], 'doc-0003 SUCCEEDED is not RUNNING');
  assert.equal(f.calls.at(-1).action, 'DescribeExecution');
  assert.deepEqual((await l.search('doc-0004')).map((e) => e.name), ['doc-0004']);
});

test('a search the user has moved on from stops loading', async () => {
  const f = fakeSFN(PAGE_SIZE * 10);
  const l = new ExecutionList(f.call, MACHINE);
  await l.refresh();
  let wanted = 2;
  await l.search('doc-0001', () => wanted-- > 0);
  assert.equal(lists(f.calls).length, 3);
  assert.equal(f.calls.filter((c) => c.action === 'DescribeExecution').length, 0);
});

test('other errors reach the caller', async () => {
  const l = new ExecutionList(async () => { throw new AwsError('ThrottlingException'); }, MACHINE);
  await assert.rejects(l.refresh(), { code: 'ThrottlingException' });
  const f = fakeSFN(PAGE_SIZE * (SEARCH_PAGES + 2));
  const m = new ExecutionList(async (action, body) => {
    if (action === 'DescribeExecution') throw new AwsError('AccessDeniedException');
    return f.call(action, body);
  }, MACHINE);
  await m.refresh();
  await assert.rejects(m.search('doc-0001'), { code: 'AccessDeniedException' });
  // The queue goes on after a failure.
  await m.refresh();
  assert.equal(m.loaded, PAGE_SIZE * (SEARCH_PAGES + 1));
});

test('nameMatches ignores case and surrounding space', () => {
  assert.ok(nameMatches({ name: 'NDA-3' }, ' nda '));
  assert.ok(nameMatches({ name: 'x' }, ''));
  assert.equal(nameMatches({ name: 'offer-12' }, 'nda'), false);
});
