// The service worker (a background script on Firefox). Every listener is registered synchronously at
// the top level so the browser can wake the worker for any event; no state lives in module
// variables — it is all in chrome.storage.

import { prefetch, updateTabBadge } from './badge';
import { fail, handleContent, handlePage } from './handlers';
import { flush } from './queue';
import { parseContentMessage, parsePageMessage, type Reply } from '../shared/messages';
import { HOSTS, PLATFORMS, platformOfUrl } from '../shared/platforms';
import { getLocal } from '../shared/storage';

const FLUSH_ALARM = 'flush-queue';
const LOG_MENU = 'log-person';

function extensionPageUrl(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(chrome.runtime.getURL(''));
}

async function route(message: unknown, sender: chrome.runtime.MessageSender): Promise<Reply> {
  if (sender.id !== chrome.runtime.id) return { ok: false, error: { status: 403, title: 'Unknown sender' } };
  try {
    if (extensionPageUrl(sender.url)) {
      const msg = parsePageMessage(message);
      if (msg === null) return { ok: false, error: { status: 400, title: 'Malformed message' } };
      return { ok: true, data: await handlePage(msg) };
    }
    // A content script: only from the top frame of a tab on a supported site, and only its messages.
    if (sender.tab?.id === undefined || sender.frameId !== 0 || sender.url === undefined) {
      return { ok: false, error: { status: 403, title: 'Unknown sender' } };
    }
    const mastodonHosts = await getLocal('mastodonHosts');
    const msg = parseContentMessage(message, sender.url, mastodonHosts);
    if (msg === null) return { ok: false, error: { status: 400, title: 'Malformed message' } };
    const platform = platformOfUrl(sender.url, mastodonHosts);
    if (platform === null || !(await getLocal('siteSwitches'))[platform]) {
      return { ok: false, error: { status: 403, title: 'Site switched off' } };
    }
    return { ok: true, data: await handleContent(msg, sender.tab.id) };
  } catch (e) {
    return fail(e);
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse, (e) => sendResponse(fail(e)));
  return true;
});

chrome.webNavigation.onBeforeNavigate.addListener((d) => {
  if (d.frameId === 0) void prefetch(d.url);
});

chrome.webNavigation.onCommitted.addListener((d) => {
  if (d.frameId === 0) void updateTabBadge(d.tabId, d.url);
});

chrome.webNavigation.onHistoryStateUpdated.addListener((d) => {
  if (d.frameId !== 0) return;
  void updateTabBadge(d.tabId, d.url);
  // Tell the page's adapter to start over on the new view (the content script cannot see pushState).
  chrome.tabs.sendMessage(d.tabId, { type: 'navigated', url: d.url }).catch(() => undefined);
});

chrome.tabs.onActivated.addListener(({ tabId }) => {
  chrome.tabs.get(tabId).then((tab) => {
    if (tab.url) void updateTabBadge(tabId, tab.url);
  }, () => undefined);
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === FLUSH_ALARM) void flush();
});

chrome.runtime.onInstalled.addListener(() => {
  void setUp();
});

chrome.runtime.onStartup.addListener(() => {
  void setUp();
});

chrome.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId !== LOG_MENU || !info.linkUrl) return;
  const url = chrome.runtime.getURL(`popup.html?log=${encodeURIComponent(info.linkUrl)}`);
  void chrome.windows.create({ url, type: 'popup', width: 420, height: 560 });
});

async function setUp(): Promise<void> {
  await chrome.alarms.create(FLUSH_ALARM, { periodInMinutes: 1 });
  await chrome.contextMenus.removeAll();
  chrome.contextMenus.create({
    id: LOG_MENU,
    title: 'Log interaction with this person…',
    contexts: ['link'],
    targetUrlPatterns: PLATFORMS.flatMap((p) => HOSTS[p].map((h) => `https://${h}/*`)),
  });
  await flush();
}
