// The dashboard: people with their balance and last contact (search, sort, owed-only), a person's
// timeline with the give-versus-take chart, ledger settings, export and import.

import type { Contact, ContactPage, ImportCreated, ImportFormat, ImportStatus, Interaction, InteractionPage, Me, Summary } from '../shared/api';
import { TYPE_LABEL } from '../shared/obligations';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES } from '../shared/messages';
import { PLATFORM_NAMES } from '../shared/platforms';
import { ago } from '../shared/time';
import { ask, avatar, clear, emptyState, flash, h, type AuthStatus } from '../shared/ui';
import { giveTakeChart, weekly } from './chart';

const view = document.getElementById('view')!;
type Sort = 'urgency' | 'balance' | 'lastInteraction' | 'name';

function setNav(active: string): void {
  for (const id of ['people', 'settings', 'import']) document.getElementById(`nav-${id}`)?.classList.toggle('active', id === active);
}

function balanceCell(b: number): HTMLElement {
  const cls = b > 0.05 ? 'pos' : b < -0.05 ? 'neg' : 'zero';
  const title = b > 0.05 ? 'They gave more lately: you owe them' : b < -0.05 ? 'You gave more lately' : 'Even';
  return h('span', { class: `balance ${cls}`, title }, `${b > 0.05 ? '+' : ''}${b.toFixed(1)}`);
}

function owedPill(c: Contact): HTMLElement | null {
  const p = c.person;
  if (!p) return null;
  const overdue = p.obligations.some((o) => o.overdue);
  if (p.owed.reply > 0) return h('span', { class: `pill ${overdue ? 'red' : 'amber'}` }, `${p.owed.reply} repl${p.owed.reply === 1 ? 'y' : 'ies'} owed`);
  if (p.owed.giveBack) return h('span', { class: 'pill blue' }, 'Give back');
  if (p.owed.keepInTouch) return h('span', { class: 'pill blue' }, 'Keep in touch');
  return null;
}

function handleChips(c: Contact): HTMLElement {
  return h('div', { class: 'handles' }, ...c.handles.map((x) => h('span', { class: 'handle', title: x.url ?? '' },
    `${PLATFORM_NAMES[x.platform]} · ${x.handle}`)));
}

function stat(value: number, label: string, tone = ''): HTMLElement {
  return h('div', { class: `card stat ${value > 0 ? tone : ''}` }, h('div', { class: 'value' }, String(value)), h('div', { class: 'label' }, label));
}

async function people(): Promise<void> {
  setNav('people');
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const q = h('input', { id: 'people-q', type: 'search', placeholder: 'Search by name or handle', value: params.get('q') ?? '', 'aria-label': 'Search people' });
  const sort = h('select', { id: 'people-sort', 'aria-label': 'Sort by' },
    ...(['urgency', 'balance', 'lastInteraction', 'name'] as Sort[]).map((s) => h('option', { value: s, selected: s === (params.get('sort') ?? 'urgency') },
      { urgency: 'Most urgent first', balance: 'Highest balance', lastInteraction: 'Latest contact', name: 'Name A–Z' }[s])));
  const owed = h('input', { id: 'people-owed', type: 'checkbox', checked: params.get('owed') === 'true' });
  const table = h('tbody', {});
  const more = h('button', { hidden: true }, 'Show more');
  const status = h('div', { class: 'flash', role: 'status' });
  const stats = h('div', { class: 'stats' });
  const tableCard = h('div', { class: 'card table-card' },
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Person'), h('th', {}, 'Handles'), h('th', { class: 'num' }, 'Balance'), h('th', {}, 'Last contact'))), table));
  const empty = h('div', { class: 'card', hidden: true });
  let cursor: string | undefined;
  const load = async (reset: boolean) => {
    try {
      const filtered = q.value.trim() !== '' || owed.checked;
      const page = await ask<ContactPage>({ type: 'contacts.list', q: q.value.trim() || undefined, sort: sort.value as Sort, owed: owed.checked || undefined, cursor: reset ? undefined : cursor });
      if (reset) clear(table);
      page.items.forEach((c) => table.append(h('tr', { class: 'person-row', 'data-contact-id': c.id, tabindex: 0,
        onclick: () => { location.hash = `#contact=${c.id}`; }, onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Enter') location.hash = `#contact=${c.id}`; } },
        h('td', {}, h('div', { class: 'who' }, avatar(c.displayName), h('strong', {}, c.displayName), owedPill(c))),
        h('td', {}, handleChips(c)),
        h('td', { class: 'num' }, balanceCell(c.person?.balance ?? 0)),
        h('td', { class: 'small muted', title: c.person?.lastInteractionAt ? new Date(c.person.lastInteractionAt).toLocaleString() : '' }, ago(c.person?.lastInteractionAt)))));
      const none = reset && page.items.length === 0;
      tableCard.hidden = none;
      empty.hidden = !none;
      clear(empty);
      if (none) {
        empty.append(filtered
          ? emptyState('?', 'Nobody matches', 'Try another name or handle, or clear the filter.', undefined, true)
          : emptyState('+', 'Nobody here yet', 'Browse X, GitHub, Mastodon and the other supported sites with the extension on, or import an archive: the people who comment, mention and reply to you appear here.',
            h('a', { href: '#import', class: 'button primary' }, 'Import an archive'), true));
      }
      cursor = page.nextCursor ?? undefined;
      more.hidden = !cursor;
    } catch (e) {
      flash(status, (e as Error).message, 'error');
    }
  };
  const showStats = async () => {
    const s = await ask<Summary>({ type: 'summary' }).catch(() => null);
    if (!s) return;
    stats.append(stat(s.overdue, 'Replies overdue', 'red'), stat(s.due, 'Replies due soon', 'amber'), stat(s.open, 'Open in total'));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => void load(true), 250); });
  sort.addEventListener('change', () => void load(true));
  owed.addEventListener('change', () => void load(true));
  more.addEventListener('click', () => void load(false));
  clear(view);
  view.append(h('h1', { class: 'page-title' }, 'People'), stats,
    h('div', { class: 'toolbar' }, q, sort, h('label', { for: 'people-owed' }, owed, 'Only people I owe')),
    status, tableCard, empty, h('div', { class: 'more' }, more));
  await Promise.all([load(true), showStats()]);
}

async function person(id: number): Promise<void> {
  setNav('people');
  clear(view);
  const status = h('div', { class: 'flash', role: 'status' });
  view.append(h('p', { style: 'margin:0 0 12px' }, h('a', { href: '#people' }, '← All people')), status);
  try {
    const contactP = ask<Contact>({ type: 'contacts.get', id });
    const items: Interaction[] = [];
    let cursor: string | undefined;
    do {
      const page = await ask<InteractionPage>({ type: 'interactions.list', contactId: id, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && items.length < 500);
    const c = await contactP;
    const p = c.person;
    const given = items.filter((i) => i.direction === 'inbound').length;
    const figure = (value: Node | string, label: string) => h('div', {}, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
    view.append(h('section', { class: 'card profile' },
      avatar(c.displayName, true),
      h('div', {}, h('div', { class: 'row' }, h('h1', {}, c.displayName), owedPill(c)), handleChips(c)),
      h('div', { class: 'figures' },
        figure(balanceCell(p?.balance ?? 0), 'Balance'),
        figure(String(given), 'They gave'),
        figure(String(items.length - given), 'You gave'),
        figure(ago(p?.lastInteractionAt), 'Last contact'))));
    const why = p && p.obligations.length > 0
      ? h('section', { class: 'card', style: 'margin-top:16px' }, h('h3', {}, 'What you owe'),
        h('ul', { class: 'timeline' }, ...p.obligations.map((o) => h('li', {},
          h('span', { class: `pill ${o.overdue ? 'red' : o.type === 'reply' ? 'amber' : 'blue'}` }, o.overdue ? 'Overdue' : TYPE_LABEL[o.type]),
          h('span', {}, o.reason), h('span', { class: 'spacer' }),
          o.url ? h('a', { href: o.url, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, 'Open') : null,
          h('span', { class: 'small faint' }, ago(o.openedAt))))))
      : null;
    if (why) view.append(why);
    view.append(h('div', { class: 'columns' },
      h('section', { class: 'card chart' },
        h('h3', {}, 'Give and take, last 12 weeks'),
        h('div', { class: 'legend' }, h('span', {}, h('i', { style: 'background:#e37400' }), 'They gave'), h('span', {}, h('i', { style: 'background:#188038' }), 'You gave')),
        giveTakeChart(weekly(items))),
      h('section', { class: 'card' },
        h('h3', {}, 'Timeline'),
        items.length === 0 ? emptyState('·', 'No interactions yet', 'What you and they do on supported sites appears here.', undefined, true)
          : h('ul', { class: 'timeline' }, ...items.map((i) => h('li', {},
            h('span', { class: `dir ${i.direction}` }, i.direction === 'inbound' ? 'They gave' : 'You gave'),
            h('span', { class: 'kind' }, i.kind), h('span', { class: 'spacer' }),
            i.url ? h('a', { href: i.url, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, 'Open') : null,
            h('span', { class: 'small faint', title: new Date(i.occurredAt).toLocaleString() }, ago(i.occurredAt))))))));
  } catch (e) {
    flash(status, (e as Error).message, 'error');
  }
}

async function settings(): Promise<void> {
  setNav('settings');
  clear(view);
  const status = h('div', { class: 'flash', role: 'status' });
  view.append(h('h1', { class: 'page-title' }, 'Ledger settings'), status);
  let me: Me;
  try {
    me = await ask<Me>({ type: 'me.get' });
  } catch (e) {
    return flash(status, (e as Error).message, 'error');
  }
  const s = me.settings;
  const num = (id: string, value: number, attrs: Record<string, string | number>) => h('input', { id, type: 'number', value, ...attrs });
  const window = num('set-reply-window', s.replyWindowHours, { min: 1, max: 8760, step: 1 });
  const half = num('set-half-life', s.halfLifeDays, { min: 1, max: 3650, step: 1 });
  const threshold = num('set-threshold', s.giveBackThreshold, { min: 0.1, max: 1000, step: 0.1 });
  const weights = Object.entries(s.weights ?? {}).map(([k, v]) => ({ k, input: num(`weight-${k}`, v as number, { min: 0, max: 100, step: 0.25 }) }));
  view.append(h('div', { class: 'card' },
    h('div', { class: 'grid' },
      h('div', {}, h('label', { for: 'set-reply-window' }, 'Reply window (hours): a reply turns overdue after'), window),
      h('div', {}, h('label', { for: 'set-half-life' }, 'Half-life (days) of an interaction in the balance'), half),
      h('div', {}, h('label', { for: 'set-threshold' }, 'Give back when the balance reaches'), threshold)),
    h('h3', {}, 'Weights'),
    h('div', { class: 'grid' }, ...weights.map(({ k, input }) => h('div', {}, h('label', { for: input.id }, k), input))),
    h('div', { class: 'row', style: 'margin-top:12px' }, h('button', { class: 'primary', id: 'save-settings', onclick: async () => {
      try {
        await ask({ type: 'me.settings', settings: {
          replyWindowHours: Number(window.value), halfLifeDays: Number(half.value), giveBackThreshold: Number(threshold.value),
          weights: Object.fromEntries(weights.map(({ k, input }) => [k, Number(input.value)])),
        } });
        flash(status, 'Saved; your ledger was recomputed.');
      } catch (e) {
        flash(status, (e as Error).message, 'error');
      }
    } }, 'Save'))));
}

async function importExport(): Promise<void> {
  setNav('import');
  clear(view);
  const status = h('div', { class: 'flash', role: 'status' });
  const file = h('input', { type: 'file', id: 'import-file', accept: '.json,.csv,.js,.zip,.tar,.gz,.tgz' });
  const format = h('select', { id: 'import-format', 'aria-label': 'Format' }, ...IMPORT_FORMATS.map((f) => h('option', { value: f }, FORMAT_NAMES[f])));
  const bar = h('progress', { id: 'import-progress', max: 1, value: 0 });
  const counts = h('p', { id: 'import-counts', class: 'small muted' });
  view.append(h('h1', { class: 'page-title' }, 'Import & export'), h('h2', {}, 'Export'),
    h('div', { class: 'card' }, h('p', { style: 'margin-top:0' }, 'Download everything Reciprocity holds about your give and take, as one JSON file.'),
      h('button', { id: 'export', onclick: async () => {
        try {
          const data = await ask<unknown>({ type: 'export' });
          const a = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })), download: `reciprocity-export-${new Date().toISOString().slice(0, 10)}.json` });
          a.click();
          flash(status, 'Export downloaded.');
        } catch (e) {
          flash(status, (e as Error).message, 'error');
        }
      } }, 'Export my data')),
    h('h2', {}, 'Import'),
    h('div', { class: 'card' }, h('p', { style: 'margin-top:0' }, 'Import an archive from X, Mastodon, LinkedIn or Reddit, a CSV or JSON file, or a Reciprocity export. Importing the same file twice adds nothing new.'),
      h('div', { class: 'row' }, format, file, h('button', { class: 'primary', id: 'import-start', onclick: async () => {
        const f = file.files?.[0];
        if (!f) return flash(status, 'Choose a file first', 'error');
        if (f.size > MAX_IMPORT_BYTES) return flash(status, `That file is over ${MAX_IMPORT_BYTES >> 20} MB: import it with curl (see the README)`, 'error');
        try {
          const job = await ask<ImportCreated>({ type: 'imports.start', format: format.value as ImportFormat, fileName: f.name, base64: await base64Of(f) });
          await follow(job.importId, bar, counts, status);
        } catch (e) {
          flash(status, (e as Error).message, 'error');
        }
      } }, 'Import')), bar, counts),
    status);
}

const FORMAT_NAMES: Record<ImportFormat, string> = {
  'x-archive': 'X archive (.zip)', 'mastodon-archive': 'Mastodon archive', 'linkedin-export': 'LinkedIn export (.zip)',
  'reddit-export': 'Reddit export (.zip)', csv: 'CSV', json: 'JSON', 'reciprocity-export': 'Reciprocity export',
};

/** The file's bytes as base64, the only way bytes travel in an extension message. */
async function base64Of(f: Blob): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Polls an import until it is done, moving the progress bar. */
export async function follow(id: number, bar: HTMLProgressElement, counts: HTMLElement, status: HTMLElement): Promise<ImportStatus> {
  for (;;) {
    const s = await ask<ImportStatus>({ type: 'imports.get', id });
    if (s.total === null) bar.removeAttribute('value');
    else {
      bar.max = Math.max(1, s.total);
      bar.value = s.processed;
    }
    counts.textContent = `${s.processed}${s.total === null ? '' : ` of ${s.total}`} read · ${s.created} new · ${s.duplicates} already known · ${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`;
    if (s.state !== 'queued' && s.state !== 'running') {
      const first = s.errors[0];
      flash(status, s.state === 'done'
        ? `Import finished.${first ? ` First problem: ${first.entry}${first.line ? ` line ${first.line}` : ''}: ${first.reason}` : ''}`
        : `Import ${s.state}${s.reason ? `: ${s.reason}` : '.'}`, s.state === 'done' && s.errorCount === 0 ? 'ok' : 'error');
      return s;
    }
    await new Promise((r) => setTimeout(r, 800));
  }
}

async function route(): Promise<void> {
  const status = await ask<AuthStatus>({ type: 'auth.status' }).catch(() => null);
  if (!status?.signedIn) {
    clear(view);
    view.append(h('div', { class: 'card' }, h('p', {}, 'Sign in to see your ledger.'), h('a', { href: 'options.html', class: 'button' }, 'Sign in')));
    return;
  }
  const hash = location.hash.slice(1);
  const contact = /^contact=(\d+)/.exec(hash);
  if (contact) return person(Number(contact[1]));
  if (hash.startsWith('settings')) return settings();
  if (hash.startsWith('import')) return importExport();
  return people();
}

window.addEventListener('hashchange', () => void route());
void route();
