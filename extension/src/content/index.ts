// The content script: picks the adapter for this site, runs it while the site is switched on, and
// starts it over on every in-page navigation (the worker tells us; the page's pushState is invisible here).

import { platformOfHost } from '../shared/platforms';
import { getLocal } from '../shared/storage';
import { ADAPTERS } from './sites';

async function main(): Promise<void> {
  const platform = platformOfHost(location.hostname, await getLocal('mastodonHosts'));
  if (platform === null || !(await getLocal('siteSwitches'))[platform]) return;
  const adapter = ADAPTERS[platform];
  let controller = new AbortController();
  const restart = () => {
    controller.abort();
    controller = new AbortController();
    adapter.init(controller.signal);
  };
  adapter.init(controller.signal);
  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    if (sender.id === chrome.runtime.id && (message as { type?: unknown })?.type === 'navigated') restart();
  });
  window.addEventListener('popstate', restart);
}

void main();
