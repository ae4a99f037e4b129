// The toolbar popup: what the user owes, most urgent first, with one-click resolve, snooze and
// dismiss; quick logging for the person on the current page; and the "log interaction" form the
// context menu opens.

import type { Direction, InteractionKind, LookupResult, Obligation, ObligationPage, Summary } from '../shared/api';
import { KINDS } from '../shared/messages';
import { personName, TYPE_LABEL, urgency } from '../shared/obligations';
import { platformOfUrl, PLATFORM_NAMES } from '../shared/platforms';
import { ago, daysFromNow } from '../shared/time';
import { ask, avatar, clear, emptyState, flash, h, type AuthStatus } from '../shared/ui';

const $ = (id: string) => document.getElementById(id)!;

async function act(work: Promise<unknown>, done: string): Promise<void> {
  try {
    const out = (await work) as { queued?: boolean } | undefined;
    flash($('flash'), out?.queued ? `${done} — queued until the server is reachable.` : done);
    await Promise.all([showObligations(), showQueue()]);
  } catch (e) {
    flash($('flash'), (e as Error).message, 'error');
  }
}

/** "commented on your post" → "Commented on your post". */
function sentence(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function obligationItem(o: Obligation): HTMLElement {
  const name = personName(o);
  const color = urgency(o);
  const snooze = (days: number, label: string) => () => void act(ask({ type: 'obligations.snooze', id: o.id, until: daysFromNow(days) }), `Snoozed ${name} for ${label}.`);
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  const dateInput = h('input', { type: 'date', 'aria-label': `Snooze ${name} until`, min: tomorrow, value: tomorrow });
  const pick = h('div', { class: 'pick', hidden: true },
    dateInput,
    h('button', { class: 'primary', 'data-action': 'snooze-date', onclick: () => {
      if (!dateInput.value) return flash($('flash'), 'Pick a date first.', 'error');
      void act(ask({ type: 'obligations.snooze', id: o.id, until: new Date(`${dateInput.value}T09:00:00`).toISOString() }),
        `Snoozed ${name} until ${new Date(`${dateInput.value}T09:00:00`).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' })}.`);
    } }, 'Snooze'),
    h('button', { class: 'ghost', onclick: () => { pick.hidden = true; } }, 'Cancel'));
  const who = o.url
    ? h('a', { class: 'who', href: o.url, target: '_blank', rel: 'noopener noreferrer', 'data-action': 'open', title: 'Open what they wrote' }, name)
    : h('span', { class: 'who' }, name);
  return h('article', { class: `obligation ${color}`, 'data-reciprocity': 'obligation', 'data-id': o.id },
    h('div', { class: 'head' },
      avatar(name),
      h('div', { class: 'text' }, who, h('div', { class: 'why' }, sentence(o.reason))),
      h('div', { class: 'meta' },
        h('span', { class: `pill ${color}` }, o.overdue ? 'Overdue' : TYPE_LABEL[o.type]),
        h('span', { class: 'small faint', title: new Date(o.openedAt).toLocaleString() }, ago(o.openedAt)))),
    h('div', { class: 'actions' },
      o.type === 'reply' ? h('button', { class: 'primary', 'data-action': 'resolve', title: 'I replied: log it and clear this',
        onclick: () => void act(ask({ type: 'log', person: { contactId: o.contactId }, direction: 'outbound', kind: 'reply', ...(o.url ? { url: o.url } : {}) }), `Logged your reply to ${name}.`) }, 'I replied') : null,
      h('span', { class: 'snooze-label' }, 'Snooze'),
      h('button', { class: 'ghost', 'data-action': 'snooze-day', title: 'Snooze until this time tomorrow', onclick: snooze(1, 'a day') }, '1 day'),
      h('button', { class: 'ghost', 'data-action': 'snooze-week', title: 'Snooze for a week', onclick: snooze(7, 'a week') }, '1 week'),
      h('button', { class: 'ghost', 'data-action': 'snooze-pick', title: 'Snooze until a date', onclick: () => { pick.hidden = !pick.hidden; if (!pick.hidden) dateInput.focus(); } }, 'Date…'),
      h('span', { class: 'spacer' }),
      h('button', { class: 'ghost danger', 'data-action': 'dismiss', title: 'I don\'t owe this one', onclick: () => void act(ask({ type: 'obligations.dismiss', id: o.id }), `Dismissed ${name}.`) }, 'Dismiss')),
    pick);
}

async function showObligations(): Promise<void> {
  const list = $('obligations');
  try {
    const [page, summary] = await Promise.all([ask<ObligationPage>({ type: 'obligations.list' }), ask<Summary>({ type: 'summary' }).catch(() => null)]);
    clear(list);
    $('owed-title').hidden = page.items.length === 0;
    const counts = $('counts');
    clear(counts);
    if (summary && summary.open > 0) {
      if (summary.overdue > 0) counts.append(h('span', { class: 'pill red' }, `${summary.overdue} overdue`));
      counts.append(h('span', { class: 'pill' }, `${summary.open} open`));
    }
    if (page.items.length === 0) {
      list.append(emptyState('✓', 'You\'re all square', 'Nobody is waiting on you. New comments, mentions and replies show up here as you browse.'));
    }
    page.items.forEach((o) => list.append(obligationItem(o)));
  } catch (e) {
    clear(list);
    list.append(emptyState('!', 'Can\'t reach your ledger', (e as Error).message, undefined, true));
  }
}

async function showQueue(): Promise<void> {
  const q = await ask<{ pending: number; failed: number }>({ type: 'queue.status' }).catch(() => null);
  $('queue').textContent = q && q.pending > 0 ? `${q.pending} waiting to sync` : '';
}

/** Quick buttons for the person on the current tab's page. */
async function showPagePerson(): Promise<void> {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined || !tab.url || platformOfUrl(tab.url) === null) return;
  const url = tab.url;
  const { result } = await ask<{ url: string | null; result: LookupResult | null }>({ type: 'tab.lookup', tabId: tab.id }).catch(() => ({ result: null }));
  if (!result || !result.handle || result.self) return;
  const box = $('page-person');
  const person = result.person;
  const name = person?.displayName ?? result.handle;
  const log = (direction: Direction, kind: InteractionKind, done: string) => () => void act(ask({ type: 'log', person: { url }, direction, kind, url }), done);
  box.append(h('div', { class: 'person' },
    h('div', { class: 'head' },
      avatar(name),
      h('div', { class: 'text', style: 'flex:1;min-width:0' },
        h('strong', {}, name),
        h('div', { class: 'small muted' }, `${PLATFORM_NAMES[platformOfUrl(url)!]} · ${result.handle}`)),
      person && person.badge.text ? h('span', { class: `pill ${person.badge.color}` }, `${person.badge.text} owed`) : h('span', { class: 'pill green' }, 'All square')),
    person ? h('div', { class: 'small muted', style: 'margin-top:6px' }, `Balance ${person.balance.toFixed(1)} · last contact ${ago(person.lastInteractionAt)}`) : null,
    h('div', { class: 'buttons' },
      h('button', { 'data-action': 'they-commented', onclick: log('inbound', 'comment', `Logged: ${name} commented.`) }, 'They commented'),
      h('button', { class: 'primary', 'data-action': 'i-replied', onclick: log('outbound', 'reply', `Logged: you replied to ${name}.`) }, 'I replied'))));
  box.hidden = false;
}

/** The form the context menu opens: log any interaction with the person behind a link. */
function showLogForm(url: string): void {
  const form = $('log-form');
  const direction = h('select', { id: 'log-direction' }, h('option', { value: 'inbound' }, 'They gave (they → me)'), h('option', { value: 'outbound' }, 'I gave (me → them)'));
  const kind = h('select', { id: 'log-kind' }, ...KINDS.map((k) => h('option', { value: k }, k)));
  const note = h('input', { id: 'log-note', placeholder: 'Optional', maxlength: 2000 });
  form.append(h('h2', {}, 'Log an interaction'), h('div', { class: 'small muted url' }, url),
    h('label', { for: 'log-direction' }, 'Direction'), direction, h('label', { for: 'log-kind' }, 'Kind'), kind,
    h('label', { for: 'log-note' }, 'Note'), note,
    h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { class: 'primary', id: 'log-save', onclick: () => void act(ask({
      type: 'log', person: { url }, direction: direction.value as Direction, kind: kind.value as InteractionKind, ...(note.value ? { note: note.value } : {}),
    }), 'Logged.') }, 'Log it')));
  form.hidden = false;
}

async function main(): Promise<void> {
  $('open-dashboard').addEventListener('click', () => void chrome.tabs.create({ url: chrome.runtime.getURL('dashboard.html') }));
  $('open-options').addEventListener('click', () => void chrome.runtime.openOptionsPage());
  const status = await ask<AuthStatus>({ type: 'auth.status' });
  if (!status.signedIn) {
    $('account').textContent = 'Signed out';
    $('obligations').append(emptyState('↻', 'See who you owe, where they are',
      'Sign in to your Reciprocity server and badges appear beside the people waiting on a reply.',
      h('button', { class: 'primary', onclick: () => void chrome.runtime.openOptionsPage() }, 'Sign in'), true));
    return;
  }
  $('account').textContent = status.email ?? 'Signed in with a token';
  $('account').title = `${status.email ?? 'Token'} on ${status.serverUrl}`;
  const logUrl = new URLSearchParams(location.search).get('log');
  if (logUrl && /^https:\/\//.test(logUrl)) showLogForm(logUrl);
  await Promise.all([showPagePerson(), showObligations(), showQueue()]);
}

void main();
