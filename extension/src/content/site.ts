// Helpers shared by the site adapters: build one from its parts, and read common page shapes.

import { absolute, run, type AuthorRef, type SiteAdapter } from './adapter';

export type SiteParts = Omit<SiteAdapter, 'init'>;

/** An adapter whose init runs the shared runtime on the current document. */
export function site(parts: SiteParts): SiteAdapter {
  const adapter: SiteAdapter = { ...parts, init: (signal) => run(adapter, signal) };
  return adapter;
}

/** Matcher for https URLs on `hosts` whose path matches. */
export function on(hosts: readonly string[], path: RegExp, extra?: (u: URL) => boolean): (u: URL) => boolean {
  return (u) => u.protocol === 'https:' && hosts.includes(u.hostname) && path.test(u.pathname) && (extra ? extra(u) : true);
}

/**
 * Author anchors under `root` matching `selector` whose URL passes `isProfile`; at most one per
 * (container, person), so a name link and an @handle link in one post give one badge.
 */
export function anchorsIn(root: ParentNode, selector: string, isProfile: (u: URL) => boolean, container?: string): AuthorRef[] {
  const out: AuthorRef[] = [];
  const seen = new Map<Element | null, Set<string>>();
  for (const a of Array.from(root.querySelectorAll<HTMLAnchorElement>(selector))) {
    const url = absolute(a.getAttribute('href'));
    if (!url || !isProfile(new URL(url))) continue;
    const box = container ? a.closest(container) : a;
    const urls = seen.get(box) ?? new Set<string>();
    if (urls.has(url)) continue;
    urls.add(url);
    seen.set(box, urls);
    out.push({ at: a, url });
  }
  return out;
}

/** The `datetime` of the first <time> under `el`, if it is a valid time. */
export function timeIn(el: Element): string | undefined {
  const t = el.querySelector('time[datetime]')?.getAttribute('datetime');
  return t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : undefined;
}

export function textOf(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** First path segments on X that are the site's own pages, not people. */
export const RESERVED_X = new Set(['home', 'explore', 'notifications', 'messages', 'i', 'settings', 'search', 'compose',
  'login', 'logout', 'signup', 'tos', 'privacy', 'jobs', 'about', 'help', 'hashtag', 'intent', 'share', 'account']);
