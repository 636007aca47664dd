// The executions list's data, apart from the page: ListExecutions pages,
// newest first, followed through nextToken, and the document-name search that
// reaches runs older than the pages loaded so far. No DOM here, so Node runs
// it in testdata/js/executions.test.mjs.

/** Executions asked for per ListExecutions call. */
export const PAGE_SIZE = 100;
/** Further pages one name search may load while nothing matches. */
export const SEARCH_PAGES = 5;
/** Newest pages a refresh lists again; older loaded ones are kept as they were. */
export const REFRESH_PAGES = 3;

/** A document ID, which tools use as the execution name (docs/design.md). */
export const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The ARN an execution named name of a state machine has. */
export function executionARN(stateMachineArn, name) {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Whether execution e's name holds q, ignoring case; "" matches all. */
export function nameMatches(e, q) {
  const want = q.trim().toLowerCase();
  return !want || e.name.toLowerCase().includes(want);
}

function byStartDesc(a, b) {
  return Number(b.startDate) - Number(a.startDate) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The ListExecutions item fields of a DescribeExecution answer. */
function listItem(d) {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate } = d;
  return stopDate === undefined ? { executionArn, stateMachineArn, name, status, startDate }
    : { executionArn, stateMachineArn, name, status, startDate, stopDate };
}

/**
 * One state machine's executions under one status filter, as far back as
 * loaded. call(action, body) is a Step Functions call (api.js sfn). Calls are
 * serialized, so a refresh never interleaves with a search's pages.
 */
export class ExecutionList {
  constructor(call, stateMachineArn, statusFilter = '') {
    this.call = call;
    this.machine = stateMachineArn;
    this.status = statusFilter;
    this.byARN = new Map(); // what ListExecutions returned
    this.found = new Map(); // older runs found by exact name (DescribeExecution)
    this.nextToken = '';
    this.pages = 0;
    this.queue = Promise.resolve();
  }

  /** Whether older executions remain to be listed. */
  get more() {
    return Boolean(this.nextToken);
  }

  /** How many executions ListExecutions has returned so far. */
  get loaded() {
    return this.byARN.size;
  }

  /** The executions whose name holds q, newest first. */
  matching(q) {
    const all = [...this.byARN.values()];
    for (const [arn, e] of this.found) if (!this.byARN.has(arn)) all.push(e);
    return all.filter((e) => nameMatches(e, q)).sort(byStartDesc);
  }

  serial(fn) {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  async page(nextToken, into) {
    const body = { stateMachineArn: this.machine, maxResults: PAGE_SIZE };
    if (this.status) body.statusFilter = this.status;
    if (nextToken) body.nextToken = nextToken;
    const page = await this.call('ListExecutions', body);
    for (const e of page.executions || []) into.set(e.executionArn, e);
    return page.nextToken || '';
  }

  /**
   * Lists again, from the newest, as many pages as are loaded but at most
   * REFRESH_PAGES, so new runs appear and recent statuses are live; beyond
   * those, what was loaded stays (and loadMore goes on from it). Runs found by
   * name are described again while they run. A refresh costs at most
   * REFRESH_PAGES calls plus one per running run found by name.
   */
  refresh() {
    return this.serial(async () => {
      const fresh = new Map();
      let token = '';
      let pages = 0;
      do {
        token = await this.page(token, fresh);
        pages++;
      } while (token && pages < Math.min(this.pages, REFRESH_PAGES));
      if (token && pages < this.pages) {
        for (const [arn, e] of this.byARN) if (!fresh.has(arn)) fresh.set(arn, e);
      } else {
        this.nextToken = token;
        this.pages = pages;
      }
      this.byARN = fresh;
      for (const [arn, e] of [...this.found]) if (e.status === 'RUNNING') await this.describe(arn);
    });
  }

  /** Lists the next older page, if any. */
  loadMore() {
    return this.serial(() => this.older());
  }

  async older() {
    if (!this.nextToken) return;
    this.nextToken = await this.page(this.nextToken, this.byARN);
    this.pages++;
  }

  /**
   * Finds runs named like q that are not loaded yet: lists up to SEARCH_PAGES
   * older pages while none matches; if none still does and older runs
   * remain, asks for the execution named exactly q. current() says whether
   * q is still what the user is looking for. Resolves to the matches.
   */
  search(q, current = () => true) {
    return this.serial(async () => {
      const want = q.trim();
      for (let i = 0; i < SEARCH_PAGES && this.more && !this.matching(want).length && current(); i++) await this.older();
      if (!this.matching(want).length && this.more && current() && DOCUMENT_ID.test(want)) {
        await this.describe(executionARN(this.machine, want));
      }
      return this.matching(want);
    });
  }

  async describe(arn) {
    let d;
    try {
      d = await this.call('DescribeExecution', { executionArn: arn });
    } catch (err) {
      if (err.code !== 'ExecutionDoesNotExist') throw err;
      this.found.delete(arn);
      return;
    }
    if (!this.status || d.status === this.status) this.found.set(arn, listItem(d));
    else this.found.delete(arn);
  }
}
