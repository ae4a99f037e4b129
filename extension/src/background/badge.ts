// The toolbar badge: on a supported site it says what the user owes the person on the page; elsewhere
// it shows how many obligations are open. Lookups are cached briefly per URL in storage.session.

import { api, ApiError } from './api-client';
import type { BadgeColor, LookupResult, Summary } from '../shared/api';
import { platformOfUrl } from '../shared/platforms';
import { getCredentials, getLocal } from '../shared/storage';

const LOOKUP_TTL_MS = 30_000;
const SUMMARY_TTL_MS = 30_000;
const CACHE_PREFIX = 'lookup:';

export const BADGE_COLORS: Record<BadgeColor, string> = {
  red: '#d93025',
  amber: '#e37400',
  blue: '#1a73e8',
  none: '#5f6368',
};

interface Cached<T> { at: number; value: T }

async function cached<T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> {
  const got = await chrome.storage.session.get(key);
  const hit = got[key] as Cached<T> | undefined;
  if (hit && Date.now() - hit.at < ttl) return hit.value;
  const value = await load();
  // Not awaited: the badge need not wait for the cache write.
  void chrome.storage.session.set({ [key]: { at: Date.now(), value } satisfies Cached<T> });
  return value;
}

/**
 * Lookups on their way, by URL, so a navigation's early lookup and its commit share one request. A
 * request coalescer, not state: a restarted worker has none and simply asks again.
 */
const inFlight = new Map<string, Promise<LookupResult>>();

/** What the server knows about the person at `url`, through the short cache. */
export function lookup(url: string): Promise<LookupResult> {
  const pending = inFlight.get(url);
  if (pending) return pending;
  const request = cached(CACHE_PREFIX + url, LOOKUP_TTL_MS, () => api<LookupResult>('GET', '/v1/lookup', { query: { url } }))
    .finally(() => inFlight.delete(url));
  inFlight.set(url, request);
  return request;
}

/**
 * Starts the lookup for a page the tab is about to load, so the answer is there (or on its way) when
 * the navigation commits and the badge is painted; the site's own loading time is not added to ours.
 */
export async function prefetch(url: string): Promise<void> {
  try {
    const [creds, mastodonHosts, switches] = await Promise.all([getCredentials(), getLocal('mastodonHosts'), getLocal('siteSwitches')]);
    const platform = platformOfUrl(url, mastodonHosts);
    if (creds !== null && platform !== null && switches[platform]) await lookup(url);
  } catch {
    // The commit's own lookup will report it.
  }
}

/** The summary for the toolbar, through the short cache. */
export function summary(): Promise<Summary> {
  return cached('summary', SUMMARY_TTL_MS, () => api<Summary>('GET', '/v1/summary'));
}

/** The summary straight from the server (a page the user opened must not show stale counts); refreshes the cache. */
export async function freshSummary(): Promise<Summary> {
  const value = await api<Summary>('GET', '/v1/summary');
  await chrome.storage.session.set({ summary: { at: Date.now(), value } satisfies Cached<Summary> });
  return value;
}

/** Seeds the cache from a batch lookup, so a page's own badge needs no second request. */
export async function remember(url: string, value: LookupResult): Promise<void> {
  await chrome.storage.session.set({ [CACHE_PREFIX + url]: { at: Date.now(), value } satisfies Cached<LookupResult> });
}

/** Forgets every cached lookup and the summary: the user logged something. */
export async function dropCache(): Promise<void> {
  const all = await chrome.storage.session.get(null);
  const keys = Object.keys(all).filter((k) => k.startsWith(CACHE_PREFIX) || k === 'summary');
  if (keys.length > 0) await chrome.storage.session.remove(keys);
}

async function paint(tabId: number, text: string, color: BadgeColor, title: string): Promise<void> {
  await Promise.all([
    chrome.action.setBadgeText({ tabId, text }),
    chrome.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLORS[color] }),
    chrome.action.setTitle({ tabId, title }),
  ]);
}

function summaryColor(s: Summary): BadgeColor {
  if (s.overdue > 0) return 'red';
  if (s.due > 0) return 'amber';
  return s.open > 0 ? 'blue' : 'none';
}

/** Sets the badge of `tabId`, which is showing `url`. Never throws: a badge is not worth an error. */
export async function updateTabBadge(tabId: number, url: string): Promise<void> {
  try {
    const [creds, mastodonHosts, switches] = await Promise.all([getCredentials(), getLocal('mastodonHosts'), getLocal('siteSwitches')]);
    if (creds === null) {
      await paint(tabId, '', 'none', 'Reciprocity: sign in on the options page');
      return;
    }
    const platform = platformOfUrl(url, mastodonHosts);
    if (platform !== null && switches[platform]) {
      const result = await lookup(url);
      if (!(await stillShowing(tabId, url))) return;
      const person = result.person;
      if (person === null) await paint(tabId, '', 'none', 'Reciprocity: nobody you owe on this page');
      else await paint(tabId, person.badge.text, person.badge.color, `Reciprocity: ${person.displayName} — ${describe(person.badge.text)}`);
      return;
    }
    const s = await summary();
    await paint(tabId, s.open > 0 ? String(s.open) : '', summaryColor(s), `Reciprocity: ${s.open} open, ${s.overdue} overdue`);
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 0;
    await paint(tabId, status === 0 ? '!' : '', 'none', status === 0 ? 'Reciprocity: server unreachable' : 'Reciprocity').catch(() => undefined);
  }
}

function describe(text: string): string {
  return text === '' ? 'nothing owed' : `${text} owed`;
}

/** A slower, older lookup must not paint over the badge of the page the tab has moved on to. */
async function stillShowing(tabId: number, url: string): Promise<boolean> {
  try {
    const tab = await chrome.tabs.get(tabId);
    return tab.url === undefined || tab.url === url;
  } catch {
    return false;
  }
}

/** Repaints the active tab of every window (after sign-in or a logged interaction). */
export async function refreshActiveTabs(): Promise<void> {
  const tabs = await chrome.tabs.query({ active: true });
  await Promise.all(tabs.filter((t) => t.id !== undefined && t.url).map((t) => updateTabBadge(t.id as number, t.url as string)));
}
