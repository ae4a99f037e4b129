// The extension in a real Chromium against the real server: sign-in, toolbar and inline badges,
// capture round trip, popup actions, the offline queue and worker restarts. The tests run in order
// and share one server, one browser and one account, as a user's day would.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Api, ARTIFACTS, freePort, launch, serveFixtures, Server, until } from './harness';

const PAGES: Record<string, string> = {
  'https://x.com/home': 'x/home-timeline.synthetic.html',
  'https://x.com/notifications': 'x/notifications.synthetic.html',
  'https://x.com/bob/status/1900000000000000020': 'x/status-with-composer.synthetic.html',
  'https://github.com/octo/repo/issues/12': 'github/send-to-cursor-issue.html',
  'https://example.org/': 'x/profile.synthetic.html',
};
const BOB_STATUS = 'https://x.com/bob/status/1900000000000000020';
const EMAIL = 'e2e@example.com';
const PASSWORD = 'correct horse battery staple';
const HOUR = 3600_000;

/** People the user owes a reply, seeded before sign-in; each gets one popup action later. */
const PEOPLE = [
  { handle: 'alice', name: 'Alice Example', hoursAgo: 0.5, kind: 'comment' },
  { handle: 'grace', name: 'Grace Hopper', hoursAgo: 80, kind: 'comment' },
  { handle: 'heidi', name: 'Heidi Lamarr', hoursAgo: 30, kind: 'mention' },
  { handle: 'ivan', name: 'Ivan Sutherland', hoursAgo: 6, kind: 'reply' },
  { handle: 'judy', name: 'Judy Estrin', hoursAgo: 54, kind: 'message' },
  { handle: 'mallory', name: 'Mallory Chen', hoursAgo: 2, kind: 'comment' },
] as const;

let server: Server;
let api: Api;
let context: BrowserContext;
let extensionId: string;
let page: Page;
const contactIds: Record<string, number> = {};

const extUrl = (path: string) => `chrome-extension://${extensionId}/${path}`;

/** The extension's service worker as it runs now (a stopped worker is replaced by a new one). */
async function worker(): Promise<Worker> {
  return until(async () => {
    const all = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`)).reverse();
    for (const w of all) {
      if (await w.evaluate(() => true).catch(() => false)) return w;
    }
    return null;
  });
}
async function tabId(url: string): Promise<number> {
  return until(async () => (await worker()).evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? 0, url));
}
async function badge(id: number): Promise<string> {
  return (await worker()).evaluate((t) => chrome.action.getBadgeText({ tabId: t }), id);
}
type LookupPerson = { contactId: number; owed: { reply: number }; badge: { text: string } };
async function lookup(url: string): Promise<{ person: null | LookupPerson }> {
  return api.ok('GET', `/v1/lookup?url=${encodeURIComponent(url)}`);
}
type ServerInteraction = { id: number; direction: string; kind: string };
async function interactions(contactId: number): Promise<ServerInteraction[]> {
  return (await api.ok<{ items: ServerInteraction[] }>('GET', `/v1/interactions?contactId=${contactId}&limit=100`)).items;
}
type ServerObligation = { id: number; state: string; snoozedUntil: string | null; contactName: string };
async function obligationOf(contactId: number, state: string): Promise<ServerObligation | undefined> {
  return (await api.ok<{ items: ServerObligation[] }>('GET', `/v1/obligations?contactId=${contactId}&state=${state}`)).items[0];
}
async function queue(): Promise<{ key: string; body: unknown; attempts: number }[]> {
  return ((await (await worker()).evaluate(() => chrome.storage.local.get('queue'))).queue ?? []) as { key: string; body: unknown; attempts: number }[];
}
/** Sends a page message to the worker from an extension page, as the popup or options would. */
async function askWorker<T>(message: unknown): Promise<T> {
  const p = await context.newPage();
  await p.goto(extUrl('options.html'));
  const reply = (await p.evaluate((m) => chrome.runtime.sendMessage(m), message)) as { ok: boolean; data: T; error?: unknown };
  await p.close();
  if (!reply.ok) throw new Error(`worker refused ${JSON.stringify(message)}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}
async function openPopup(): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(extUrl('popup.html'));
  return popup;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = new Server(await freePort());
  await server.start();
  api = new Api(server.url);
  await api.ok('POST', '/v1/auth/register', { email: EMAIL, password: PASSWORD, displayName: 'E2E' });
  api.token = (await api.ok<{ accessToken: string }>('POST', '/v1/auth/login', { email: EMAIL, password: PASSWORD })).accessToken;
  for (const p of PEOPLE) {
    const url = `https://x.com/${p.handle}`;
    const contact = await api.ok<{ id: number }>('POST', '/v1/contacts', { displayName: p.name, handles: [{ url }] });
    contactIds[p.handle] = contact.id;
    await api.ok('POST', '/v1/interactions', {
      person: { url }, direction: 'inbound', kind: p.kind, url: `${url}/status/19000000000000001${PEOPLE.indexOf(p)}`,
      occurredAt: new Date(Date.now() - p.hoursAgo * HOUR).toISOString(),
    }, { 'Idempotency-Key': `seed-${p.handle}` });
  }
  ({ context, extensionId } = await launch());
  await serveFixtures(context, PAGES);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('extension against the real server', () => {
  it('signs in through the options page', async () => {
    await page.goto(extUrl('options.html'));
    await page.fill('#server-url', server.url);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('#sign-in');
    await expect.poll(() => page.textContent('#auth-state'), { timeout: 10_000 }).toContain(`Signed in as ${EMAIL}`);
    // Tokens stay in the worker's session storage, never in local storage.
    const local = await (await worker()).evaluate(() => chrome.storage.local.get(null));
    expect(JSON.stringify(local)).not.toContain('accessToken');
    expect(JSON.stringify(local)).not.toContain('refreshToken');
    // The user's own profile, claimed on the options page, is never someone they owe.
    await page.fill('#identity-url', 'https://x.com/e2e_me');
    await page.click('#identity-add');
    await expect.poll(() => page.textContent('#identities'), { timeout: 10_000 }).toContain('e2e_me');
    const self = await api.ok<{ self: boolean; person: unknown }>('GET', `/v1/lookup?url=${encodeURIComponent('https://x.com/e2e_me')}`);
    expect(self).toMatchObject({ self: true, person: null });
    await page.screenshot({ path: join(ARTIFACTS, 'options.png'), fullPage: true });
  });

  it('shows what is owed on a person page in the toolbar badge, and prints how fast', async () => {
    // Time from the navigation starting to the badge being set, measured inside the worker.
    await (await worker()).evaluate(() => {
      const g = globalThis as unknown as { navAt: Record<number, number>; commitAt: Record<number, number>; paints: { tabId?: number; text: string; t: number }[] };
      g.navAt = {};
      g.commitAt = {};
      g.paints = [];
      chrome.webNavigation.onBeforeNavigate.addListener((d) => {
        if (d.frameId === 0) g.navAt[d.tabId] = performance.now();
      });
      chrome.webNavigation.onCommitted.addListener((d) => {
        if (d.frameId === 0) g.commitAt[d.tabId] = performance.now();
      });
      const original = chrome.action.setBadgeText.bind(chrome.action);
      chrome.action.setBadgeText = ((details: chrome.action.BadgeTextDetails) => {
        g.paints.push({ tabId: details.tabId, text: details.text ?? '', t: performance.now() });
        return original(details);
      }) as typeof chrome.action.setBadgeText;
    });
    const figures: number[] = [];
    const fromCommit: number[] = [];
    const wall: number[] = [];
    for (const p of PEOPLE) {
      const url = `https://x.com/${p.handle}`;
      const started = Date.now();
      await page.goto(url, { waitUntil: 'commit' });
      const id = await tabId(url);
      // Wait for this navigation's own paint: the badge may still read '1' from the person before for a moment after
      // the new page commits, so the badge's text alone cannot say the new one was painted.
      const ms = await until(() => worker().then((w) => w.evaluate((t) => {
        const g = globalThis as unknown as { navAt: Record<number, number>; commitAt: Record<number, number>; paints: { tabId?: number; text: string; t: number }[] };
        const paint = g.paints.find((x) => x.tabId === t && x.text === '1' && x.t >= (g.navAt[t] ?? Infinity));
        if (!paint) return null;
        g.paints = [];
        return [paint.t - g.navAt[t]!, paint.t - g.commitAt[t]!];
      }, id)), 10_000, 5).catch(() => null);
      wall.push(Date.now() - started);
      expect(ms, `badge painted for ${url}`).not.toBeNull();
      expect(await badge(id), `badge text for ${url}`).toBe('1');
      figures.push(ms![0]!);
      fromCommit.push(ms![1]!);
    }
    const [cold, ...warm] = figures;
    const sorted = [...warm].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`navigation to badge (in the worker, onBeforeNavigate -> setBadgeText): first ${cold!.toFixed(0)} ms, then median ${median.toFixed(0)} ms`
      + ` of ${warm.map((m) => m.toFixed(0)).join(', ')} ms (goal <= 200 ms); from commit to badge: ${fromCommit.map((m) => m.toFixed(0)).join(', ')} ms;`
      + ` seen from the test (goto -> getBadgeText): ${wall.join(', ')} ms`);
  });

  it('puts inline badges beside authors the user owes, and only them', async () => {
    await page.goto('https://x.com/home');
    const alice = page.locator('[data-reciprocity="badge"][data-handle="x:alice"]');
    await expect.poll(() => alice.count(), { timeout: 10_000 }).toBe(1);
    expect(await alice.locator('button.pill').textContent()).toBe('1');
    expect(await page.locator('[data-reciprocity="badge"][data-handle="x:carol"]').count()).toBe(0);
    await alice.locator('button.pill').click();
    const why = await alice.locator('.why').textContent();
    expect(why).toContain('Alice Example');
    expect(why).toContain('commented on your post');
    expect(why).toContain('Open in Reciprocity');
  });

  it('captures a notifications page once, and a posted reply resolves it', async () => {
    await page.goto('https://x.com/notifications');
    const bob = await until(async () => {
      const r = await lookup('https://x.com/bob');
      return r.person && r.person.owed.reply === 1 ? r.person : null;
    });
    expect((await lookup('https://x.com/dave')).person).not.toBeNull();
    expect((await lookup('https://x.com/erin')).person).not.toBeNull();
    await page.reload();
    await page.waitForTimeout(1500);
    expect((await interactions(bob.contactId)).filter((i) => i.direction === 'inbound')).toHaveLength(1);

    await page.goto(BOB_STATUS);
    await page.click('[data-testid="tweetButtonInline"]');
    await until(async () => (await lookup('https://x.com/bob')).person?.owed.reply === 0);
    expect((await interactions(bob.contactId)).filter((i) => i.direction === 'outbound')).toHaveLength(1);
  });

  it('shows the summary count off supported sites', async () => {
    const { open } = await api.ok<{ open: number }>('GET', '/v1/summary');
    expect(open).toBeGreaterThan(0);
    // The extension may not read example.org's tab by URL (no host permission): take the tab's id first.
    await page.goto('https://x.com/home');
    const id = await tabId('https://x.com/home');
    await page.goto('https://example.org/');
    await until(async () => (await badge(id)) === String(open));
  });

  it('lists obligations in the popup, most urgent first', async () => {
    const popup = await openPopup();
    const items = popup.locator('[data-reciprocity="obligation"]');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    // Grace's comment is 80 hours old: past the 48-hour reply window, so overdue and first.
    expect(await items.first().textContent()).toContain('Grace Hopper');
    expect(await items.first().textContent()).toContain('Overdue');
    // The body is the popup as the browser sizes it.
    await popup.locator('body').screenshot({ path: join(ARTIFACTS, 'popup.png') });
    await popup.close();
  });

  it('resolves, snoozes (1 day, 1 week, a picked date) and dismisses from the popup', async () => {
    const popup = await openPopup();
    const item = (name: string) => popup.locator('[data-reciprocity="obligation"]', { hasText: name });
    await expect.poll(() => item('Mallory Chen').count(), { timeout: 10_000 }).toBe(1);
    const gone = (name: string) => expect.poll(() => item(name).count(), { timeout: 10_000 }).toBe(0);
    const near = (iso: string | null | undefined, target: number, slackMs: number) => {
      expect(iso).toBeTruthy();
      expect(Math.abs(Date.parse(iso!) - target)).toBeLessThan(slackMs);
    };

    // Resolve: "I replied" logs an outbound reply, which closes the obligation on the server.
    await item('Grace Hopper').locator('[data-action="resolve"]').click();
    await gone('Grace Hopper');
    expect(await obligationOf(contactIds.grace!, 'resolved')).toBeDefined();
    expect((await interactions(contactIds.grace!)).filter((i) => i.direction === 'outbound' && i.kind === 'reply')).toHaveLength(1);

    await item('Heidi Lamarr').locator('[data-action="snooze-day"]').click();
    await gone('Heidi Lamarr');
    near((await obligationOf(contactIds.heidi!, 'snoozed'))?.snoozedUntil, Date.now() + 24 * HOUR, 5 * 60_000);

    await item('Ivan Sutherland').locator('[data-action="snooze-week"]').click();
    await gone('Ivan Sutherland');
    near((await obligationOf(contactIds.ivan!, 'snoozed'))?.snoozedUntil, Date.now() + 7 * 24 * HOUR, 5 * 60_000);

    const date = new Date(Date.now() + 3 * 24 * HOUR).toISOString().slice(0, 10);
    await item('Judy Estrin').locator('[data-action="snooze-pick"]').click();
    await item('Judy Estrin').locator('input[type="date"]').fill(date);
    await item('Judy Estrin').locator('[data-action="snooze-date"]').click();
    await gone('Judy Estrin');
    // 09:00 on that day in the browser's time zone.
    near((await obligationOf(contactIds.judy!, 'snoozed'))?.snoozedUntil, new Date(`${date}T09:00:00`).getTime(), 60_000);

    await item('Mallory Chen').locator('[data-action="dismiss"]').click();
    await gone('Mallory Chen');
    expect(await obligationOf(contactIds.mallory!, 'dismissed')).toBeDefined();
    expect(await obligationOf(contactIds.mallory!, 'open')).toBeUndefined();
    await popup.close();
  });

  it('queues captures while the server is down and sends each exactly once later, with its Idempotency-Key', async () => {
    const bob = (await lookup('https://x.com/bob')).person!;
    const before = (await interactions(bob.contactId)).filter((i) => i.direction === 'outbound').length;
    await server.stop();
    onTestFinished(() => server.start());
    await page.goto(BOB_STATUS);
    await page.click('[data-testid="tweetButtonInline"]');
    // Tried once already and failed: the entry stays with its key.
    const [entry] = await until(async () => {
      const q = await queue();
      return q.length === 1 && q[0]!.attempts >= 1 ? q : null;
    });
    const popup = await openPopup();
    await expect.poll(() => popup.textContent('#queue'), { timeout: 10_000 }).toContain('1 waiting to sync');
    await popup.close();

    await server.start();
    await askWorker({ type: 'queue.status' });
    await until(async () => (await queue()).length === 0);
    await askWorker({ type: 'queue.status' });
    const after = (await interactions(bob.contactId)).filter((i) => i.direction === 'outbound');
    expect(after).toHaveLength(before + 1);
    // The server knows that key: replaying it answers the stored interaction and records nothing new.
    const replay = await api.call<{ id: number }>('POST', '/v1/interactions', entry!.body, { 'Idempotency-Key': entry!.key });
    expect(replay.status).toBeLessThan(300);
    expect(after.map((i) => i.id)).toContain(replay.body.id);
    expect((await interactions(bob.contactId)).filter((i) => i.direction === 'outbound')).toHaveLength(before + 1);
  });

  it('recovers after the service worker is stopped, with its queue and badges intact', async () => {
    await api.ok('POST', '/v1/contacts', { displayName: 'Frank Moreau', handles: [{ url: 'https://x.com/frank' }] });
    await api.ok('POST', '/v1/interactions', { person: { url: 'https://x.com/frank' }, direction: 'inbound', kind: 'mention' }, { 'Idempotency-Key': 'seed-frank' });
    // A capture waits in the queue while the server is down...
    const bob = (await lookup('https://x.com/bob')).person!;
    const before = (await interactions(bob.contactId)).length;
    await server.stop();
    onTestFinished(() => server.start());
    await page.goto(BOB_STATUS);
    await page.click('[data-testid="tweetButtonInline"]');
    await until(async () => (await queue()).length === 1);

    // ...then the worker is stopped, as the browser does to idle workers. A mark in its global scope
    // tells the old worker from a new one (a stopped worker keeps its DevTools target id).
    await (await worker()).evaluate(() => { (globalThis as { beforeStop?: boolean }).beforeStop = true; });
    const cdp = await context.newCDPSession(page);
    type Targets = { targetInfos: { targetId: string; type: string; url: string }[] };
    const [sw] = await until(async () => {
      const all = ((await cdp.send('Target.getTargets')) as Targets).targetInfos
        .filter((t) => t.type === 'service_worker' && t.url.startsWith(extUrl('')));
      return all.length > 0 ? all : null;
    });
    await cdp.send('Target.closeTarget', { targetId: sw!.targetId });
    await cdp.detach();
    const marked = async () => {
      for (const w of context.serviceWorkers()) {
        if (await w.evaluate(() => (globalThis as { beforeStop?: boolean }).beforeStop === true).catch(() => false)) return true;
      }
      return false;
    };
    await until(async () => !(await marked()));
    await server.start();

    // The next navigation wakes a fresh worker, which must find its credentials and queue in storage.
    await page.goto('https://x.com/frank');
    const id = await tabId('https://x.com/frank');
    await until(async () => (await badge(id)) === '1');
    expect(await marked()).toBe(false);
    expect(await queue()).toHaveLength(1);
    await askWorker({ type: 'queue.status' });
    await until(async () => (await queue()).length === 0);
    expect(await interactions(bob.contactId)).toHaveLength(before + 1);
  });

  it('renders the dashboard with people and a person timeline', async () => {
    const dash = await context.newPage();
    await dash.setViewportSize({ width: 1100, height: 800 });
    await dash.goto(extUrl('dashboard.html#people'));
    const rows = dash.locator('tr.person-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    // Counts straight from the server, not the toolbar's cache (Frank was added behind the extension's back).
    const { open } = await api.ok<{ open: number }>('GET', '/v1/summary');
    await expect.poll(() => dash.locator('.stat', { hasText: 'Open in total' }).locator('.value').textContent(), { timeout: 10_000 }).toBe(String(open));
    await dash.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await dash.locator('#people-q').fill('grac');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await rows.first().click();
    await expect.poll(() => dash.locator('.timeline li').count(), { timeout: 10_000 }).toBe(2);
    expect(await dash.locator('svg rect[data-series="inbound"]').count()).toBe(12);
    await dash.screenshot({ path: join(ARTIFACTS, 'dashboard-person.png'), fullPage: true });
    await dash.close();
  });

  it('imports a CSV from the dashboard and follows it to the end', async () => {
    const dash = await context.newPage();
    await dash.setViewportSize({ width: 1100, height: 800 });
    await dash.goto(extUrl('dashboard.html#import'));
    await dash.selectOption('#import-format', 'csv');
    await dash.setInputFiles('#import-file', {
      name: 'ledger.csv', mimeType: 'text/csv', buffer: Buffer.from([
        'platform,handle,url,direction,kind,occurredAt,note,externalId',
        'x,nina,,inbound,comment,2026-11-20T10:00:00Z,,csv-1',
        ',,https://x.com/oscar,inbound,mention,2026-11-21T10:00:00Z,met at the meetup,csv-2',
        'x,oscar,,sideways,comment,2026-11-21T10:00:00Z,,csv-3',
      ].join('\n')),
    });
    await dash.click('#import-start');
    await expect.poll(() => dash.textContent('#import-counts'), { timeout: 20_000 }).toContain('3 of 3 read');
    await expect.poll(() => dash.locator('.flash').allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringContaining('Import finished'));
    expect(await dash.textContent('#import-counts')).toContain('1 error');
    expect((await lookup('https://x.com/nina')).person?.owed.reply).toBe(1);
    expect((await lookup('https://x.com/oscar')).person).not.toBeNull();
    await dash.screenshot({ path: join(ARTIFACTS, 'dashboard-import.png'), fullPage: true });
    await dash.close();
  });

  it('shows the toolbar badge on a person page of every supported site', async () => {
    await (await worker()).evaluate(async () => {
      const all = { x: true, linkedin: true, facebook: true, instagram: true, mastodon: true, reddit: true, github: true, bluesky: true, threads: true, youtube: true };
      await chrome.storage.local.set({ siteSwitches: all });
    });
    const pages = [
      'https://x.com/sitex', 'https://www.linkedin.com/in/sitelinkedin', 'https://www.facebook.com/sitefacebook',
      'https://www.instagram.com/siteinstagram', 'https://mastodon.social/@sitemastodon', 'https://www.reddit.com/user/sitereddit',
      'https://github.com/sitegithub', 'https://bsky.app/profile/sitebluesky.bsky.social', 'https://www.threads.com/@sitethreads',
      'https://www.youtube.com/@siteyoutube',
    ];
    for (const [i, url] of pages.entries()) {
      await api.ok('POST', '/v1/interactions', { person: { url }, direction: 'inbound', kind: 'mention' }, { 'Idempotency-Key': `site-${i}` });
    }
    for (const url of pages) {
      await page.goto(url, { waitUntil: 'commit' });
      const id = await tabId(url);
      await until(async () => (await badge(id)) === '1', 10_000, 20);
    }
  });

  it('says so plainly when nothing is owed', async () => {
    for (;;) {
      const { items } = await api.ok<{ items: { id: number }[] }>('GET', '/v1/obligations?state=open&limit=100');
      if (items.length === 0) break;
      for (const o of items) await api.ok('POST', `/v1/obligations/${o.id}/dismiss`);
    }
    const popup = await openPopup();
    await expect.poll(() => popup.textContent('#obligations'), { timeout: 10_000 }).toContain('all square');
    expect(await popup.locator('[data-reciprocity="obligation"]').count()).toBe(0);
    await popup.locator('body').screenshot({ path: join(ARTIFACTS, 'popup-empty.png') });
    await popup.close();
  });
});
