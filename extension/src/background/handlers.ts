// What the worker does for each validated message. Every server URL is built here from constants.

import { api, ApiError, credentialsFromPair } from './api-client';
import { dropCache, freshSummary, lookup, refreshActiveTabs, remember } from './badge';
import { enqueue, flush, makeAllDue } from './queue';
import type {
  Contact, ContactPage, IdentityList, ImportCreated, ImportStatus, InteractionCreate, InteractionPage, LookupBatch, LookupResult, Me, ObligationPage, TokenPair,
} from '../shared/api';
import type { ContentMessage, PageMessage, Reply } from '../shared/messages';
import { getCredentials, getLocal, setCredentials, setLocal } from '../shared/storage';

const SOURCE = 'extension';

export function fail(e: unknown): Reply<never> {
  if (e instanceof ApiError) return { ok: false, error: e.problem };
  return { ok: false, error: { status: 500, title: 'Extension error', detail: e instanceof Error ? e.message : String(e) } };
}

async function logged<T>(work: Promise<T>): Promise<T> {
  const out = await work;
  await dropCache();
  void refreshActiveTabs();
  return out;
}

/** Queues an interaction and tries to send it now; answers whether it reached the server yet. */
async function logInteraction(body: InteractionCreate): Promise<{ key: string; queued: boolean }> {
  const key = await enqueue('/v1/interactions', body);
  await flush();
  const still = (await getLocal('queue')).some((e) => e.key === key);
  return { key, queued: still };
}

export async function handleContent(msg: ContentMessage, tabId: number | undefined): Promise<unknown> {
  switch (msg.type) {
    case 'lookup': {
      const batch = await api<LookupBatch>('POST', '/v1/lookup', { body: { urls: msg.urls } });
      await Promise.all(batch.results.map((r, i) => (msg.urls[i] ? remember(msg.urls[i] as string, r) : undefined)));
      return batch;
    }
    case 'capture-inbound': {
      const items = msg.items.map((c) => ({
        person: { url: c.personUrl }, direction: 'inbound', kind: c.kind, externalId: c.externalId, source: SOURCE,
        ...(c.url ? { url: c.url } : {}), ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
      }));
      await enqueue('/v1/interactions/batch', { items });
      const out = await logged(flush());
      return { queued: items.length, ...out };
    }
    case 'capture-reply':
      return logged(logInteraction({
        person: { url: msg.personUrl }, direction: 'outbound', kind: 'reply', source: SOURCE,
        ...(msg.url ? { url: msg.url } : {}), ...(msg.threadUrl ? { threadUrl: msg.threadUrl } : {}),
      } as InteractionCreate));
    case 'open-dashboard':
      await openDashboard(msg.contactId, tabId);
      return {};
  }
}

export async function openDashboard(contactId?: number, openerTabId?: number): Promise<void> {
  const url = chrome.runtime.getURL(`dashboard.html${contactId ? `#contact=${contactId}` : ''}`);
  await chrome.tabs.create({ url, ...(openerTabId !== undefined ? { openerTabId } : {}) });
}

async function signedIn(serverUrl: string, method: 'password' | 'token', email: string | null): Promise<unknown> {
  await setLocal('serverUrl', serverUrl);
  await setLocal('account', { email, method });
  await dropCache();
  await makeAllDue();
  void flush().then(() => refreshActiveTabs());
  return status();
}

async function status(): Promise<unknown> {
  const creds = await getCredentials();
  const account = await getLocal('account');
  return {
    signedIn: creds !== null,
    method: creds?.kind === 'pat' ? 'token' : creds ? 'password' : null,
    email: creds ? account?.email ?? null : null,
    serverUrl: await getLocal('serverUrl'),
  };
}

export async function handlePage(msg: PageMessage): Promise<unknown> {
  switch (msg.type) {
    case 'auth.status':
      return status();
    case 'auth.login': {
      const pair = await api<TokenPair>('POST', '/v1/auth/login', {
        serverUrl: msg.serverUrl, auth: false, body: { email: msg.email, password: msg.password },
      });
      await setCredentials(credentialsFromPair(pair));
      return signedIn(msg.serverUrl, 'password', msg.email);
    }
    case 'auth.token': {
      // Check the token before keeping it: a typo should say so now, not on the next page.
      await setCredentials({ kind: 'pat', token: msg.token });
      try {
        const me = await api<Me>('GET', '/v1/me', { serverUrl: msg.serverUrl });
        return await signedIn(msg.serverUrl, 'token', me.email);
      } catch (e) {
        await setCredentials(null);
        throw e;
      }
    }
    case 'auth.logout': {
      const creds = await getCredentials();
      if (creds?.kind === 'session') {
        await api('POST', '/v1/auth/logout', { auth: false, body: { refreshToken: creds.refreshToken } }).catch(() => undefined);
      }
      await setCredentials(null);
      await setLocal('account', null);
      await dropCache();
      void refreshActiveTabs();
      return status();
    }
    case 'me.get':
      return api<Me>('GET', '/v1/me');
    case 'me.settings':
      return logged(api<Me>('PATCH', '/v1/me', { body: { settings: msg.settings } }));
    case 'identities.list':
      return api<IdentityList>('GET', '/v1/me/identities');
    case 'identities.add':
      return logged(api('POST', '/v1/me/identities', { body: { url: msg.url } }));
    case 'identities.remove':
      return logged(api('DELETE', `/v1/me/identities/${msg.id}`));
    case 'summary':
      return freshSummary();
    case 'obligations.list':
      return api<ObligationPage>('GET', '/v1/obligations', { query: { state: 'open', limit: 20, cursor: msg.cursor } });
    case 'obligations.snooze':
      return logged(api('POST', `/v1/obligations/${msg.id}/snooze`, { body: { until: msg.until } }));
    case 'obligations.dismiss':
      return logged(api('POST', `/v1/obligations/${msg.id}/dismiss`));
    case 'log':
      return logged(logInteraction({
        person: msg.person, direction: msg.direction, kind: msg.kind, source: SOURCE,
        ...(msg.url ? { url: msg.url } : {}), ...(msg.note ? { note: msg.note } : {}),
      } as InteractionCreate));
    case 'tab.lookup': {
      const tab = await chrome.tabs.get(msg.tabId);
      if (!tab.url) return { url: null, result: null };
      const result: LookupResult | null = await lookup(tab.url).catch((e) => {
        // A URL the server cannot read is nobody; anything else (down, signed out) is worth saying.
        if (e instanceof ApiError && (e.status === 400 || e.status === 422)) return null;
        throw e;
      });
      return { url: tab.url, result };
    }
    case 'contacts.list':
      return api<ContactPage>('GET', '/v1/contacts', {
        query: { q: msg.q || undefined, sort: msg.sort, owed: msg.owed ? true : undefined, cursor: msg.cursor, limit: 50 },
      });
    case 'contacts.get':
      return api<Contact>('GET', `/v1/contacts/${msg.id}`);
    case 'interactions.list':
      return api<InteractionPage>('GET', '/v1/interactions', { query: { contactId: msg.contactId, cursor: msg.cursor, limit: 100 } });
    case 'export':
      return api('GET', '/v1/export');
    case 'imports.start': {
      // The file arrives base64-encoded (messages carry JSON only) and leaves as the multipart field `file`.
      const bytes = Uint8Array.from(atob(msg.base64), (c) => c.charCodeAt(0));
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), msg.fileName);
      return api<ImportCreated>('POST', '/v1/imports', { query: { format: msg.format }, form });
    }
    case 'imports.get':
      return api<ImportStatus>('GET', `/v1/imports/${msg.id}`);
    case 'queue.status': {
      await makeAllDue();
      const out = await flush();
      return out ?? { sent: 0, pending: (await getLocal('queue')).length, failed: (await getLocal('failedCaptures')).length };
    }
    case 'open-dashboard':
      await openDashboard(msg.contactId);
      return {};
  }
}
