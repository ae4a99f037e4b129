// What every site adapter provides, and the one runtime that drives them: a debounced
// MutationObserver that finds authors (inline badges), reads notifications (inbound capture) and
// watches the reply composer (outbound capture). Everything it adds or listens to is undone when the
// AbortSignal fires.

import type { InboundCapture, Reply } from '../shared/messages';
import { MAX_LOOKUP_URLS } from '../shared/messages';
import type { LookupBatch, LookupResult } from '../shared/api';
import type { PlatformId } from '../shared/platforms';
import { renderBadge } from './badge';

/** A URL detector with the URLs it must match; the table test checks no other detector matches them. */
export interface Detector {
  test(url: URL): boolean;
  urls: readonly string[];
}

/** An author on the page: the element to put the badge after, and their profile URL. */
export interface AuthorRef {
  at: Element;
  url: string;
}

export interface SiteAdapter {
  platform: PlatformId;
  detectors: Record<string, Detector>;
  /** Authors of posts and comments in `root`, in document order. */
  authors(root: ParentNode): AuthorRef[];
  /** On a notifications page: who did what, with ids stable across visits. */
  notifications?(root: ParentNode, page: URL): InboundCapture[];
  /** The reply composer: its submit control, and who the reply goes to. */
  composer?: { submit: string; target(submit: Element, page: URL): string | null };
  init(signal: AbortSignal): void;
}

export type Send = <T>(message: unknown) => Promise<Reply<T>>;

const defaultSend: Send = (message) => chrome.runtime.sendMessage(message);

export const DEBOUNCE_MS = 120;

/** Absolute https URL of `href` on the page, without fragment or tracking query; null if not https. */
export function absolute(href: string | null | undefined, base: string = location.href): string | null {
  if (!href) return null;
  try {
    const u = new URL(href, base);
    if (u.protocol !== 'https:') return null;
    // Drop tracking and view parameters, keep the ones that name someone (profile.php?id=, watch?v=).
    const keep = [...u.searchParams].filter(([k]) => k === 'id' || k === 'v');
    u.search = '';
    keep.forEach(([k, v]) => u.searchParams.set(k, v));
    u.hash = '';
    return u.toString();
  } catch {
    return null;
  }
}

/** Anchors under `root` matching `selector` whose href passes `isProfile`, one per element group. */
export function profileAnchors(root: ParentNode, selector: string, isProfile: (u: URL) => boolean): AuthorRef[] {
  const out: AuthorRef[] = [];
  for (const a of Array.from(root.querySelectorAll<HTMLAnchorElement>(selector))) {
    const url = absolute(a.getAttribute('href'));
    if (url && isProfile(new URL(url))) out.push({ at: a, url });
  }
  return out;
}

/** Calls `fn` at most once per `ms` after DOM changes under `target`, and once at the start. */
export function observe(target: Node, fn: () => void, signal: AbortSignal, ms = DEBOUNCE_MS): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer !== undefined || signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!signal.aborted) fn();
    }, ms);
  };
  const observer = new MutationObserver((records) => {
    // Our own badges change the DOM too; they must not wake us up again.
    if (records.every((r) => Array.from(r.addedNodes).every((n) => n instanceof Element && n.matches('[data-reciprocity]')))) return;
    schedule();
  });
  observer.observe(target, { childList: true, subtree: true });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
  }, { once: true });
  fn();
}

/**
 * Runs an adapter on the current document until `signal` aborts: inline badges for authors the user
 * owes (looked up in coalesced batches), inbound capture on notifications pages, outbound capture
 * when the user sends a reply.
 */
export function run(adapter: SiteAdapter, signal: AbortSignal, send: Send = defaultSend, doc: Document = document): void {
  const known = new Map<string, LookupResult | 'pending'>();
  const placed = new WeakSet<Element>();
  const badges = new Set<Element>();
  const captured = new Set<string>();

  const paint = (refs: AuthorRef[]) => {
    for (const ref of refs) {
      const result = known.get(ref.url);
      if (!result || result === 'pending' || placed.has(ref.at)) continue;
      const person = result.person;
      if (!person || person.badge.text === '' || !ref.at.isConnected) continue;
      const badge = renderBadge(doc, adapter.platform, result, send);
      ref.at.after(badge);
      placed.add(ref.at);
      badges.add(badge);
    }
  };

  const scan = () => {
    const refs = adapter.authors(doc).filter((r) => !placed.has(r.at) && !r.at.closest('[data-reciprocity]'));
    const fresh = [...new Set(refs.map((r) => r.url))].filter((u) => !known.has(u));
    paint(refs);
    for (let i = 0; i < fresh.length; i += MAX_LOOKUP_URLS) {
      const urls = fresh.slice(i, i + MAX_LOOKUP_URLS);
      urls.forEach((u) => known.set(u, 'pending'));
      void send<LookupBatch>({ type: 'lookup', urls }).then((reply) => {
        if (signal.aborted) return;
        if (!reply?.ok) {
          urls.forEach((u) => known.delete(u));
          return;
        }
        reply.data.results.forEach((r, j) => known.set(urls[j] as string, r));
        paint(adapter.authors(doc));
      });
    }
    const page = new URL(doc.location?.href ?? location.href);
    if (adapter.notifications && adapter.detectors.notifications?.test(page)) {
      const items = adapter.notifications(doc, page).filter((c) => !captured.has(c.externalId));
      if (items.length > 0) {
        items.forEach((c) => captured.add(c.externalId));
        void send({ type: 'capture-inbound', platform: adapter.platform, items: items.slice(0, 1000) });
      }
    }
  };

  observe(doc.body ?? doc.documentElement, scan, signal);

  if (adapter.composer) {
    const composer = adapter.composer;
    let lastSent = 0;
    doc.addEventListener('click', (event) => {
      const submit = event.target instanceof Element ? event.target.closest(composer.submit) : null;
      if (!submit) return;
      // A double click on "Reply" is one reply.
      if (Date.now() - lastSent < 2000) return;
      const page = new URL(doc.location?.href ?? location.href);
      const personUrl = composer.target(submit, page);
      if (!personUrl) return;
      lastSent = Date.now();
      void send({ type: 'capture-reply', personUrl, threadUrl: absolute(page.toString()) ?? undefined });
    }, { capture: true, signal });
  }

  signal.addEventListener('abort', () => {
    badges.forEach((b) => b.remove());
    badges.clear();
  }, { once: true });
}
