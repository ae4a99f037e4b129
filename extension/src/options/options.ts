// The options page: which server, sign in or out, the user's own identities, and per-site switches.

import type { Identity, IdentityList } from '../shared/api';
import { PLATFORMS, PLATFORM_NAMES } from '../shared/platforms';
import { DEFAULT_SERVER_URL, getLocal, setLocal } from '../shared/storage';
import { ask, clear, flash, h, type AuthStatus } from '../shared/ui';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** The server URL typed in, normalised; asks for host permission when it is not the built-in one. */
async function serverUrl(): Promise<string> {
  const raw = $<HTMLInputElement>('server-url').value.trim() || DEFAULT_SERVER_URL;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('The server URL must start with http:// or https://');
  const origin = `${url.protocol}//${url.host}/*`;
  if (!(await chrome.permissions.contains({ origins: [origin] }))) {
    // Must run inside the click that submitted the form: browsers only ask during a user gesture.
    if (!(await chrome.permissions.request({ origins: [origin] }))) throw new Error(`Reciprocity needs permission to reach ${url.host}`);
  }
  return raw.replace(/\/+$/, '');
}

async function showAuth(status?: AuthStatus): Promise<void> {
  const s = status ?? (await ask<AuthStatus>({ type: 'auth.status' }));
  $<HTMLInputElement>('server-url').value = s.serverUrl;
  $('auth-state').textContent = s.signedIn ? `Signed in${s.email ? ` as ${s.email}` : ''}${s.method === 'token' ? ' with a personal access token' : ''}.` : 'Signed out.';
  $('signed-out').hidden = s.signedIn;
  $('sign-out').hidden = !s.signedIn;
  if (s.signedIn) await showIdentities();
}

async function showIdentities(): Promise<void> {
  const box = $('identities');
  try {
    const list = await ask<IdentityList>({ type: 'identities.list' });
    clear(box);
    if (list.items.length === 0) box.append(h('p', { class: 'small muted' }, 'None yet.'));
    list.items.forEach((i: Identity) => box.append(h('div', { class: 'identity' },
      h('span', { class: 'pill blue' }, PLATFORM_NAMES[i.platform as keyof typeof PLATFORM_NAMES] ?? i.platform),
      h('span', {}, i.handle), h('span', { class: 'spacer' }),
      h('button', { class: 'link', onclick: () => void ask({ type: 'identities.remove', id: i.id }).then(showIdentities, (e) => flash($('identity-flash'), e.message, 'error')) }, 'Remove'))));
  } catch (e) {
    clear(box);
    box.append(h('p', { class: 'small muted' }, (e as Error).message));
  }
}

async function showSites(): Promise<void> {
  const switches = await getLocal('siteSwitches');
  const box = $('sites');
  clear(box);
  for (const p of PLATFORMS) {
    const input = h('input', { type: 'checkbox', id: `site-${p}`, checked: switches[p] });
    input.addEventListener('change', async () => {
      await setLocal('siteSwitches', { ...(await getLocal('siteSwitches')), [p]: input.checked });
      flash($('sites-flash'), `${PLATFORM_NAMES[p]} ${input.checked ? 'on' : 'off'} (reload its tabs)`);
    });
    box.append(h('label', { for: `site-${p}` }, input, PLATFORM_NAMES[p]));
  }
  const hosts = await getLocal('mastodonHosts');
  $('mastodon-hosts').textContent = hosts.length ? `Added: ${hosts.join(', ')}` : '';
}

function wire(): void {
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const status = await ask<AuthStatus>({ type: 'auth.login', serverUrl: await serverUrl(), email: $<HTMLInputElement>('email').value.trim(), password: $<HTMLInputElement>('password').value });
      $<HTMLInputElement>('password').value = '';
      flash($('auth-flash'), 'Signed in.');
      await showAuth(status);
    } catch (err) {
      flash($('auth-flash'), (err as Error).message, 'error');
    }
  });
  $('token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const status = await ask<AuthStatus>({ type: 'auth.token', serverUrl: await serverUrl(), token: $<HTMLInputElement>('token').value.trim() });
      $<HTMLInputElement>('token').value = '';
      flash($('auth-flash'), 'Token saved.');
      await showAuth(status);
    } catch (err) {
      flash($('auth-flash'), (err as Error).message, 'error');
    }
  });
  $('sign-out').addEventListener('click', async () => {
    await showAuth(await ask<AuthStatus>({ type: 'auth.logout' }));
    flash($('auth-flash'), 'Signed out.');
  });
  $('identity-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ask({ type: 'identities.add', url: $<HTMLInputElement>('identity-url').value.trim() });
      $<HTMLInputElement>('identity-url').value = '';
      await showIdentities();
    } catch (err) {
      flash($('identity-flash'), (err as Error).message, 'error');
    }
  });
  $('mastodon-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const host = $<HTMLInputElement>('mastodon-host').value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)) return flash($('sites-flash'), 'Type an instance host such as hachyderm.io', 'error');
    if (!(await chrome.permissions.request({ origins: [`https://${host}/*`] }))) return flash($('sites-flash'), 'Permission refused', 'error');
    const hosts = await getLocal('mastodonHosts');
    if (!hosts.includes(host)) await setLocal('mastodonHosts', [...hosts, host]);
    // The manifest cannot list every instance: inject the content script into this one at run time.
    await chrome.scripting?.registerContentScripts?.([{ id: `mastodon-${host}`, matches: [`https://${host}/*`], js: ['content.js'], runAt: 'document_idle' }]).catch(() => undefined);
    $<HTMLInputElement>('mastodon-host').value = '';
    await showSites();
  });
}

wire();
void showAuth();
void showSites();
