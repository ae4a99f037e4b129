// The messages content scripts and extension pages send to the service worker, and their validators.
//
// Content scripts run inside pages we do not control, so everything they send is checked for shape
// here and for sender in the worker. Extension pages are trusted code but go through the same checks.

import { isPlatformId, platformOfUrl, type PlatformId } from './platforms';
import type { Direction, ImportFormat, InteractionKind } from './api';

export const MAX_URL = 2048;
export const MAX_LOOKUP_URLS = 200;
export const MAX_BATCH = 1000;
/** Largest import file the dashboard hands the worker (base64 in a message; Chrome caps messages at 64 MiB). */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'x-archive', 'mastodon-archive', 'linkedin-export', 'reddit-export', 'csv', 'json', 'reciprocity-export',
];

export const KINDS: readonly InteractionKind[] = [
  'comment', 'reply', 'mention', 'message', 'like', 'share', 'endorsement', 'recommendation', 'follow', 'other',
];
export const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound'];

/** One thing read off a notifications page: someone did `kind` to the user. */
export interface InboundCapture {
  personUrl: string;
  kind: InteractionKind;
  externalId: string;
  url?: string;
  occurredAt?: string;
}

export type ContentMessage =
  | { type: 'lookup'; urls: string[] }
  | { type: 'capture-inbound'; platform: PlatformId; items: InboundCapture[] }
  | { type: 'capture-reply'; personUrl: string; url?: string; threadUrl?: string }
  | { type: 'open-dashboard'; contactId?: number };

export type PersonRef = { url: string } | { contactId: number };

export type PageMessage =
  | { type: 'auth.status' }
  | { type: 'auth.login'; serverUrl: string; email: string; password: string }
  | { type: 'auth.token'; serverUrl: string; token: string }
  | { type: 'auth.logout' }
  | { type: 'me.get' }
  | { type: 'me.settings'; settings: Record<string, unknown> }
  | { type: 'identities.list' }
  | { type: 'identities.add'; url: string }
  | { type: 'identities.remove'; id: number }
  | { type: 'summary' }
  | { type: 'obligations.list'; cursor?: string }
  | { type: 'obligations.snooze'; id: number; until: string }
  | { type: 'obligations.dismiss'; id: number }
  | { type: 'log'; person: PersonRef; direction: Direction; kind: InteractionKind; url?: string; note?: string }
  | { type: 'tab.lookup'; tabId: number }
  | { type: 'contacts.list'; q?: string; sort?: 'urgency' | 'balance' | 'lastInteraction' | 'name'; owed?: boolean; cursor?: string }
  | { type: 'contacts.get'; id: number }
  | { type: 'interactions.list'; contactId: number; cursor?: string }
  | { type: 'export' }
  | { type: 'imports.start'; format: ImportFormat; fileName: string; base64: string }
  | { type: 'imports.get'; id: number }
  | { type: 'queue.status' }
  | { type: 'open-dashboard'; contactId?: number };

/** What the worker answers to every message. */
export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: ReplyError };
export interface ReplyError { status: number; title: string; detail?: string; field?: string }

// --- small checkers ---

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max: number, min = 0): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const onlyKeys = (o: Obj, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));

export function isHttpsUrl(v: unknown): v is string {
  if (!isStr(v, MAX_URL, 1)) return false;
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

export function isIsoTime(v: unknown): v is string {
  return isStr(v, 40, 10) && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
}

const isKind = (v: unknown): v is InteractionKind => typeof v === 'string' && (KINDS as string[]).includes(v);
const isDirection = (v: unknown): v is Direction => v === 'inbound' || v === 'outbound';

function isInboundCapture(v: unknown): v is InboundCapture {
  return isObj(v) && onlyKeys(v, ['personUrl', 'kind', 'externalId', 'url', 'occurredAt'])
    && isHttpsUrl(v.personUrl) && isKind(v.kind) && isStr(v.externalId, 255, 1)
    && optional(v.url, isHttpsUrl) && optional(v.occurredAt, isIsoTime);
}

/**
 * Checks a message from a content script. `senderUrl` is the page the sender runs in (from the
 * browser, not the message): lookups must be on supported sites, and captures must claim the
 * platform of the page they come from.
 */
export function parseContentMessage(msg: unknown, senderUrl: string, extraMastodonHosts: readonly string[] = []): ContentMessage | null {
  if (!isObj(msg)) return null;
  const pagePlatform = platformOfUrl(senderUrl, extraMastodonHosts);
  if (pagePlatform === null) return null;
  switch (msg.type) {
    case 'lookup':
      return onlyKeys(msg, ['type', 'urls']) && Array.isArray(msg.urls) && msg.urls.length >= 1
        && msg.urls.length <= MAX_LOOKUP_URLS && msg.urls.every((u) => isHttpsUrl(u) && platformOfUrl(u, extraMastodonHosts) !== null)
        ? { type: 'lookup', urls: msg.urls as string[] } : null;
    case 'capture-inbound':
      return onlyKeys(msg, ['type', 'platform', 'items']) && isPlatformId(msg.platform) && msg.platform === pagePlatform
        && Array.isArray(msg.items) && msg.items.length >= 1 && msg.items.length <= MAX_BATCH && msg.items.every(isInboundCapture)
        ? { type: 'capture-inbound', platform: msg.platform, items: msg.items as InboundCapture[] } : null;
    case 'capture-reply':
      return onlyKeys(msg, ['type', 'personUrl', 'url', 'threadUrl']) && isHttpsUrl(msg.personUrl)
        && optional(msg.url, isHttpsUrl) && optional(msg.threadUrl, isHttpsUrl)
        ? (msg as ContentMessage) : null;
    case 'open-dashboard':
      return onlyKeys(msg, ['type', 'contactId']) && optional(msg.contactId, isId) ? (msg as ContentMessage) : null;
    default:
      return null;
  }
}

function isServerUrl(v: unknown): v is string {
  if (!isStr(v, 500, 1)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

function isPersonRef(v: unknown): v is PersonRef {
  if (!isObj(v)) return false;
  if ('url' in v) return onlyKeys(v, ['url']) && isHttpsUrl(v.url);
  return onlyKeys(v, ['contactId']) && isId(v.contactId);
}

const SORTS = ['urgency', 'balance', 'lastInteraction', 'name'];

/** Checks a message from an extension page (popup, options, dashboard). */
export function parsePageMessage(msg: unknown): PageMessage | null {
  if (!isObj(msg) || typeof msg.type !== 'string') return null;
  const ok = (keys: string[], valid: boolean) => (onlyKeys(msg, ['type', ...keys]) && valid ? (msg as PageMessage) : null);
  switch (msg.type) {
    case 'auth.status': case 'auth.logout': case 'me.get': case 'identities.list': case 'summary':
    case 'export': case 'queue.status':
      return ok([], true);
    case 'auth.login':
      return ok(['serverUrl', 'email', 'password'], isServerUrl(msg.serverUrl) && isStr(msg.email, 254, 3) && isStr(msg.password, 512, 1));
    case 'auth.token':
      return ok(['serverUrl', 'token'], isServerUrl(msg.serverUrl) && isStr(msg.token, 100, 8) && /^rcp_[A-Za-z0-9_-]+$/.test(msg.token as string));
    case 'me.settings':
      return ok(['settings'], isObj(msg.settings));
    case 'identities.add':
      return ok(['url'], isHttpsUrl(msg.url));
    case 'identities.remove': case 'obligations.dismiss': case 'imports.get': case 'contacts.get':
      return ok(['id'], isId(msg.id));
    case 'obligations.list':
      return ok(['cursor'], optional(msg.cursor, (c) => isStr(c, 500)));
    case 'obligations.snooze':
      return ok(['id', 'until'], isId(msg.id) && isIsoTime(msg.until));
    case 'log':
      return ok(['person', 'direction', 'kind', 'url', 'note'], isPersonRef(msg.person) && isDirection(msg.direction)
        && isKind(msg.kind) && optional(msg.url, isHttpsUrl) && optional(msg.note, (n) => isStr(n, 2000)));
    case 'tab.lookup':
      return ok(['tabId'], Number.isSafeInteger(msg.tabId) && (msg.tabId as number) >= 0);
    case 'contacts.list':
      return ok(['q', 'sort', 'owed', 'cursor'], optional(msg.q, (q) => isStr(q, 200))
        && optional(msg.sort, (s) => typeof s === 'string' && SORTS.includes(s))
        && optional(msg.owed, (o) => typeof o === 'boolean') && optional(msg.cursor, (c) => isStr(c, 500)));
    case 'interactions.list':
      return ok(['contactId', 'cursor'], isId(msg.contactId) && optional(msg.cursor, (c) => isStr(c, 500)));
    case 'imports.start':
      return ok(['format', 'fileName', 'base64'], typeof msg.format === 'string' && (IMPORT_FORMATS as string[]).includes(msg.format)
        && isStr(msg.fileName, 255, 1) && isStr(msg.base64, Math.ceil(MAX_IMPORT_BYTES / 3) * 4, 1) && /^[A-Za-z0-9+/]*={0,2}$/.test(msg.base64 as string));
    case 'open-dashboard':
      return ok(['contactId'], optional(msg.contactId, isId));
    default:
      return null;
  }
}
