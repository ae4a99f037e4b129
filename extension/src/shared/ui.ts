// Small helpers for the extension's own pages: build elements from text (never HTML) and ask the worker.

import type { PageMessage, Reply, ReplyError } from './messages';

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** `h('button', {class: 'x', onclick: fn}, 'Text')`: attributes are set as attributes, text as text. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export class WorkerError extends Error {
  constructor(readonly problem: ReplyError) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }
}

/** Sends a message to the service worker and returns its data, or throws its problem. */
export async function ask<T>(message: PageMessage): Promise<T> {
  const reply = (await chrome.runtime.sendMessage(message)) as Reply<T> | undefined;
  if (!reply) throw new WorkerError({ status: 0, title: 'No answer from the extension' });
  if (!reply.ok) throw new WorkerError(reply.error);
  return reply.data;
}

export interface AuthStatus { signedIn: boolean; method: 'password' | 'token' | null; email: string | null; serverUrl: string }

export function clear(el: Element): void {
  el.replaceChildren();
}

/** Shows a short message in `el` (role=status) for a few seconds. */
export function flash(el: Element, text: string, kind: 'ok' | 'error' = 'ok'): void {
  el.textContent = text;
  el.className = `flash ${kind}`;
}

const AVATAR_COLORS = ['#1a73e8', '#188038', '#a142f4', '#e37400', '#12828c', '#c5221f', '#5f6368', '#b31412', '#007b83', '#8430ce'];

/** Up to two initials of a name ("Grace Hopper" → "GH", "bob" → "B"). */
export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? words[words.length - 1]![0]! : '';
  return (first + last).toUpperCase();
}

/** A round avatar with the person's initials, coloured the same for the same name every time. */
export function avatar(name: string, large = false): HTMLElement {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const el = h('span', { class: large ? 'avatar lg' : 'avatar', 'aria-hidden': 'true' }, initials(name));
  el.style.background = AVATAR_COLORS[hash % AVATAR_COLORS.length]!;
  return el;
}

/** A friendly block for "nothing here": a mark, a headline, a sentence, and maybe one action. */
export function emptyState(mark: string, title: string, text: string, action?: Node, neutral = false): HTMLElement {
  return h('div', { class: 'empty-state' }, h('div', { class: neutral ? 'mark neutral' : 'mark', 'aria-hidden': 'true' }, mark),
    h('strong', {}, title), h('p', {}, text), action ?? null);
}
