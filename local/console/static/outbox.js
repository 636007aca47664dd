// The outbox: the notifications the local stack kept instead of mailing them
// (its SNS outbox), newest first, each signing link opening the signing page
// on the local API in a new tab. The links carry one-time codes: the outbox
// stands in for the signers' mailboxes, and this page is as local as they are.

import { outbox, toDate } from './api.js';
import { h, card, dateTime } from './dom.js';

const REFRESH_MS = 2000;

/** Renders the outbox page into root. Returns a stop function. */
export function outboxView(root) {
  let timer = 0;
  let stopped = false;
  const rows = h('tbody');
  const count = h('span', { class: 'count muted' });
  const empty = h('p', { class: 'empty', hidden: true }, 'No notification yet: a run that asks a signer sends one.');
  const error = h('p', { class: 'notice error', hidden: true, role: 'alert' });

  root.replaceChildren(h('div', { class: 'page' },
    card(null, { class: 'card outbox' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Outbox ', count)),
      h('p', { class: 'muted' }, 'Mail the local stack kept instead of sending it. Each link opens the signing page as its signer would.'),
      error,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'table', id: 'outbox' },
          h('thead', {}, h('tr', {}, ['Sent', 'To', 'Document', 'Signer', 'Subject', 'Link'].map((c) => h('th', {}, c)))),
          rows)),
      empty)));

  async function refresh() {
    clearTimeout(timer);
    try {
      const entries = await outbox();
      if (stopped) return;
      error.hidden = true;
      render(entries);
    } catch (err) {
      if (stopped) return;
      error.hidden = false;
      error.textContent = `Could not read the outbox: ${err.code ? `${err.code}: ` : ''}${err.message}`;
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  function render(entries) {
    const newest = [...entries].reverse();
    rows.replaceChildren(...newest.map((e) => h('tr', { dataset: { document: e.documentId || '', signer: e.signer || '' } },
      h('td', { class: 'mono' }, dateTime(toDate(e.sentAt))),
      h('td', {}, e.to || h('span', { class: 'muted' }, 'no subscription')),
      h('td', { class: 'mono' }, e.documentId || '—'),
      h('td', {}, e.signer || '—'),
      h('td', {}, e.subject || '—'),
      h('td', {}, linkCell(e)))));
    count.textContent = String(entries.length);
    empty.hidden = entries.length > 0;
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

/** The signing link, opened in a new tab that cannot reach back to this page. */
function linkCell(e) {
  if (!/^https?:\/\//.test(e.link || '')) return '—';
  return h('a', { href: e.link, target: '_blank', rel: 'noopener noreferrer', class: 'sign-link' },
    e.signer ? `Sign as ${e.signer}` : 'Open signing page');
}
