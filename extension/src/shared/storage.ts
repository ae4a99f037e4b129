// Everything the extension keeps, by storage area. Secrets live only in `session` (never readable by
// content scripts, gone when the browser closes); `local` holds settings, the capture queue and the
// non-secret account label.

import { DEFAULT_SITE_SWITCHES, type PlatformId } from './platforms';

export const DEFAULT_SERVER_URL = 'http://localhost:7070';

export type Credentials =
  | { kind: 'session'; accessToken: string; refreshToken: string; expiresAt: number }
  | { kind: 'pat'; token: string };

/** A capture waiting to reach the server; `key` is its Idempotency-Key for every attempt. */
export interface QueuedCapture {
  key: string;
  path: '/v1/interactions' | '/v1/interactions/batch';
  body: unknown;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

/** A capture the server refused for good (a 4xx other than auth or rate limits); kept for the user to see. */
export interface FailedCapture { key: string; body: unknown; status: number; detail: string; at: number }

export interface LocalState {
  serverUrl: string;
  siteSwitches: Record<PlatformId, boolean>;
  mastodonHosts: string[];
  account: { email: string | null; method: 'password' | 'token' } | null;
  queue: QueuedCapture[];
  failedCaptures: FailedCapture[];
}

const LOCAL_DEFAULTS: LocalState = {
  serverUrl: DEFAULT_SERVER_URL,
  siteSwitches: DEFAULT_SITE_SWITCHES,
  mastodonHosts: [],
  account: null,
  queue: [],
  failedCaptures: [],
};

export async function getLocal<K extends keyof LocalState>(key: K): Promise<LocalState[K]> {
  const got = await chrome.storage.local.get(key);
  const value = got[key] as LocalState[K] | undefined;
  if (key === 'siteSwitches') return { ...DEFAULT_SITE_SWITCHES, ...(value as object | undefined) } as LocalState[K];
  // A copy: callers modify what they get (queue.push) and must never touch the defaults.
  return value ?? structuredClone(LOCAL_DEFAULTS[key]);
}

export async function setLocal<K extends keyof LocalState>(key: K, value: LocalState[K]): Promise<void> {
  await chrome.storage.local.set({ [key]: value });
}

export async function getCredentials(): Promise<Credentials | null> {
  const got = await chrome.storage.session.get('credentials');
  return (got.credentials as Credentials | undefined) ?? null;
}

export async function setCredentials(c: Credentials | null): Promise<void> {
  if (c === null) await chrome.storage.session.remove('credentials');
  else await chrome.storage.session.set({ credentials: c });
}

/** Runs `fn` holding a named lock, so read-modify-write of one storage key never interleaves. */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(`reciprocity:${name}`, fn);
  return fn();
}

/** Like withLock, but gives up at once (returns null) when someone already holds the lock. */
export async function tryLock<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  return locks.request(`reciprocity:${name}`, { ifAvailable: true }, async (lock) => (lock ? fn() : null));
}
