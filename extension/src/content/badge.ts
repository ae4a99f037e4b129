// The inline badge beside an author: a host element carrying the stable hooks, with its looks and
// its "why" panel inside a shadow root so the page's CSS cannot reach it. Text only, never HTML.

import type { LookupResult } from '../shared/api';
import type { PlatformId } from '../shared/platforms';
import { ago } from '../shared/time';
import type { Send } from './adapter';

const COLORS: Record<string, string> = { red: '#d93025', amber: '#e37400', blue: '#1a73e8', none: '#5f6368' };

const STYLE = `
:host { all: initial; display: inline-block; position: relative; margin: 0 4px; vertical-align: middle; font: 600 11px/1.4 system-ui, sans-serif; }
button.pill { all: unset; cursor: pointer; color: #fff; border-radius: 9px; padding: 0 6px; min-width: 8px; text-align: center; }
button.pill:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.why { display: none; position: absolute; z-index: 2147483647; top: 120%; left: 0; width: max-content; max-width: 280px;
  background: #fff; color: #202124; border: 1px solid #dadce0; border-radius: 8px; padding: 8px 10px;
  box-shadow: 0 2px 8px rgba(0,0,0,.15); font-weight: 400; }
:host(:hover) .why, .why.open { display: block; }
.why p { margin: 0 0 4px; }
.why .who { font-weight: 600; }
.why button { all: unset; cursor: pointer; color: #1a73e8; text-decoration: underline; }
`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export function renderBadge(doc: Document, platform: PlatformId, result: LookupResult, send: Send): HTMLElement {
  const person = result.person;
  const host = el(doc, 'span');
  host.dataset.reciprocity = 'badge';
  host.dataset.handle = `${result.platform ?? platform}:${result.handle ?? ''}`;
  if (!person) return host;
  const root = host.attachShadow({ mode: 'open' });
  const style = el(doc, 'style', STYLE);
  const pill = el(doc, 'button', person.badge.text, 'pill');
  pill.style.background = COLORS[person.badge.color] ?? COLORS.none!;
  pill.setAttribute('aria-label', `You owe ${person.displayName}: ${person.badge.text}. Why?`);
  const why = el(doc, 'div', undefined, 'why');
  why.setAttribute('role', 'tooltip');
  why.append(el(doc, 'p', person.displayName, 'who'));
  for (const o of person.obligations) {
    why.append(el(doc, 'p', `${o.reason} ${ago(o.openedAt)}${o.overdue ? ' · overdue' : ''}`));
  }
  const open = el(doc, 'button', 'Open in Reciprocity');
  open.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    void send({ type: 'open-dashboard', contactId: person.contactId });
  });
  why.append(open);
  pill.addEventListener('click', (e) => {
    // The badge sits inside the site's links: a click on it must not follow them.
    e.preventDefault();
    e.stopPropagation();
    why.classList.toggle('open');
  });
  root.append(style, pill, why);
  return host;
}
