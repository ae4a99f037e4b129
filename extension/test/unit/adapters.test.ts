// Each adapter reads authors, notifications and reply targets from real or synthetic fixture pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run, type Send } from '../../src/content/adapter';
import { ADAPTERS } from '../../src/content/sites';

const FIXTURES = join(__dirname, '../fixtures');

/** Loads a fixture into the test document as if served from `url`. */
function load(file: string, url: string): Document {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  document.documentElement.innerHTML = readFileSync(join(FIXTURES, file), 'utf8').replace(/^<!doctype html>/i, '');
  return document;
}

const urls = (refs: { url: string }[]) => [...new Set(refs.map((r) => r.url))];

describe('authors', () => {
  const cases: [keyof typeof ADAPTERS, string, string, string[]][] = [
    ['x', 'x/tweetyoink-x-tweet-sample.html', 'https://x.com/home', ['https://x.com/TestUser123']],
    ['x', 'x/home-timeline.synthetic.html', 'https://x.com/home', ['https://x.com/alice', 'https://x.com/carol']],
    ['github', 'github/send-to-cursor-issue.html', 'https://github.com/octo/repo/issues/1', ['https://github.com/hubot', 'https://github.com/octocat']],
    ['github', 'github/send-to-cursor-issue-new-ui.html', 'https://github.com/octo/repo/issues/1', ['https://github.com/octocat', 'https://github.com/hubot']],
    ['reddit', 'reddit/fetch_util-shreddit-community_reddit_thread.html', 'https://www.reddit.com/r/ruby/comments/abc/x/', [
      'https://www.reddit.com/user/alice/', 'https://www.reddit.com/user/bob/', 'https://www.reddit.com/user/carol/']],
    ['mastodon', 'mastodon/fetch_util-mastodon_detailed_status.html', 'https://todon.nl/@burnoutqueen/116892639909737254', ['https://todon.nl/@burnoutqueen']],
    ['mastodon', 'mastodon/fetch_util-mastodon_profile_cleanup.html', 'https://mastodon.social/@Mastodon', ['https://mastodon.social/@Mastodon']],
    ['bluesky', 'bluesky/fetch_util-bluesky-thread.snippet.html', 'https://bsky.app/', ['https://bsky.app/profile/ada.bsky.social', 'https://bsky.app/profile/grace.bsky.social']],
    ['linkedin', 'linkedin/drafting-assistant-linkedin-feed-with-comments.snippet.html', 'https://www.linkedin.com/feed/', [
      'https://www.linkedin.com/in/alice-example/', 'https://www.linkedin.com/in/bob-example/', 'https://www.linkedin.com/in/carol-example/']],
    ['facebook', 'facebook/feed.synthetic.html', 'https://www.facebook.com/', ['https://www.facebook.com/ada.lovelace', 'https://www.facebook.com/profile.php?id=100000000000001']],
    ['instagram', 'instagram/post.synthetic.html', 'https://www.instagram.com/p/C1/', ['https://www.instagram.com/natgeo/', 'https://www.instagram.com/ada.lovelace/']],
    ['threads', 'threads/feed.synthetic.html', 'https://www.threads.com/', ['https://www.threads.com/@zuck']],
    ['youtube', 'youtube/watch.synthetic.html', 'https://www.youtube.com/watch?v=abc', ['https://www.youtube.com/@mkbhd', 'https://www.youtube.com/@ada-lovelace']],
  ];
  for (const [platform, file, url, expected] of cases) {
    it(`${platform} finds the authors in ${file}`, () => {
      expect(urls(ADAPTERS[platform].authors(load(file, url)))).toEqual(expected);
    });
  }

  it('x gives one author per tweet although name and handle both link to the profile', () => {
    expect(ADAPTERS.x.authors(load('x/home-timeline.synthetic.html', 'https://x.com/home'))).toHaveLength(2);
  });
});

describe('notifications', () => {
  it('x reads likes, follows and replies with stable ids', () => {
    const items = ADAPTERS.x.notifications!(load('x/notifications.synthetic.html', 'https://x.com/notifications'), new URL('https://x.com/notifications'));
    expect(items.map((i) => [i.personUrl, i.kind])).toEqual([
      ['https://x.com/dave', 'like'], ['https://x.com/erin', 'follow'], ['https://x.com/bob', 'reply']]);
    expect(items[2]).toMatchObject({ externalId: 'status:1900000000000000020', occurredAt: '2026-11-25T07:00:00.000Z' });
    const again = ADAPTERS.x.notifications!(document, new URL('https://x.com/notifications'));
    expect(again.map((i) => i.externalId)).toEqual(items.map((i) => i.externalId));
  });

  it('github reads mentions and comments from the inbox', () => {
    const items = ADAPTERS.github.notifications!(load('github/notifications.synthetic.html', 'https://github.com/notifications'), new URL('https://github.com/notifications'));
    expect(items.map((i) => [i.personUrl, i.kind, i.url])).toEqual([
      ['https://github.com/hubot', 'mention', 'https://github.com/octo/repo/issues/12'],
      ['https://github.com/octocat', 'comment', 'https://github.com/octo/repo/pull/7']]);
  });

  it('reddit reads the old inbox', () => {
    const items = ADAPTERS.reddit.notifications!(load('reddit/old-inbox.synthetic.html', 'https://old.reddit.com/message/inbox/'), new URL('https://old.reddit.com/message/inbox/'));
    expect(items.map((i) => [i.personUrl, i.kind, i.externalId])).toEqual([
      ['https://www.reddit.com/user/spez/', 'reply', 't1_abc123'], ['https://www.reddit.com/user/kn0thing/', 'mention', 't4_msg1']]);
  });

  it('mastodon reads mentions, favourites and follows', () => {
    const items = ADAPTERS.mastodon.notifications!(load('mastodon/notifications.synthetic.html', 'https://mastodon.social/notifications'), new URL('https://mastodon.social/notifications'));
    expect(items.map((i) => [i.personUrl, i.kind])).toEqual([
      ['https://mastodon.social/@ada@example.org', 'mention'], ['https://mastodon.social/@grace', 'like'], ['https://mastodon.social/@linus', 'follow']]);
  });

  it('bluesky reads likes, follows and replies', () => {
    const items = ADAPTERS.bluesky.notifications!(load('bluesky/notifications.synthetic.html', 'https://bsky.app/notifications'), new URL('https://bsky.app/notifications'));
    expect(items.map((i) => [i.personUrl, i.kind])).toEqual([
      ['https://bsky.app/profile/ada.bsky.social', 'like'], ['https://bsky.app/profile/grace.bsky.social', 'follow'], ['https://bsky.app/profile/linus.bsky.social', 'reply']]);
  });
});

describe('runtime', () => {
  const person = { contactId: 7, displayName: 'Alice', balance: 2, lastInteractionAt: null, owed: { reply: 1, giveBack: false, keepInTouch: false },
    obligations: [{ type: 'reply', reason: 'commented on your post', url: null, openedAt: new Date(Date.now() - 3 * 86400_000).toISOString(), overdue: true }],
    badge: { text: '1', color: 'red' } };

  function fakeSend(): { send: Send; sent: unknown[] } {
    const sent: unknown[] = [];
    const send = (async (m: { type: string; urls?: string[] }) => {
      sent.push(m);
      if (m.type === 'lookup') return { ok: true, data: { results: m.urls!.map((u) => ({ platform: 'x', handle: u.split('/').pop(), person: u.endsWith('/alice') ? person : null })) } };
      return { ok: true, data: {} };
    }) as Send;
    return { send, sent };
  }

  it('looks authors up in one batch, badges only those owed, text only, and cleans up on abort', async () => {
    const doc = load('x/home-timeline.synthetic.html', 'https://x.com/home');
    const { send, sent } = fakeSend();
    const ctl = new AbortController();
    run(ADAPTERS.x, ctl.signal, send, doc);
    await vi.waitFor(() => expect(doc.querySelectorAll('[data-reciprocity="badge"]')).toHaveLength(1));
    expect(sent.filter((m) => (m as { type: string }).type === 'lookup')).toEqual([{ type: 'lookup', urls: ['https://x.com/alice', 'https://x.com/carol'] }]);
    const badge = doc.querySelector<HTMLElement>('[data-reciprocity="badge"]')!;
    expect(badge.dataset.handle).toBe('x:alice');
    expect(badge.shadowRoot!.querySelector('.pill')!.textContent).toBe('1');
    expect(badge.shadowRoot!.querySelector('.why')!.textContent).toContain('commented on your post 3 days ago');
    ctl.abort();
    expect(doc.querySelectorAll('[data-reciprocity="badge"]')).toHaveLength(0);
  });

  it('renders hostile names as text', async () => {
    const doc = load('x/home-timeline.synthetic.html', 'https://x.com/home');
    const evil = { ...person, displayName: '<img src=x onerror=alert(1)>' };
    const send = (async (m: { type: string; urls?: string[] }) => ({ ok: true, data: { results: m.urls!.map(() => ({ platform: 'x', handle: 'alice', person: evil })) } })) as Send;
    const ctl = new AbortController();
    run(ADAPTERS.x, ctl.signal, send, doc);
    await vi.waitFor(() => expect(doc.querySelectorAll('[data-reciprocity="badge"]').length).toBeGreaterThan(0));
    const root = doc.querySelector<HTMLElement>('[data-reciprocity="badge"]')!.shadowRoot!;
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.who')!.textContent).toBe(evil.displayName);
    ctl.abort();
  });

  it('captures a notifications page once and a posted reply as an outbound reply', async () => {
    const doc = load('x/notifications.synthetic.html', 'https://x.com/notifications');
    const { send, sent } = fakeSend();
    const ctl = new AbortController();
    run(ADAPTERS.x, ctl.signal, send, doc);
    await vi.waitFor(() => expect(sent.some((m) => (m as { type: string }).type === 'capture-inbound')).toBe(true));
    doc.body.append(doc.createElement('div'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.filter((m) => (m as { type: string }).type === 'capture-inbound')).toHaveLength(1);
    ctl.abort();

    const page = load('x/status-with-composer.synthetic.html', 'https://x.com/bob/status/1900000000000000020');
    const second = fakeSend();
    const ctl2 = new AbortController();
    run(ADAPTERS.x, ctl2.signal, second.send, page);
    page.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.click();
    page.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.click();
    expect(second.sent.filter((m) => (m as { type: string }).type === 'capture-reply')).toEqual([
      { type: 'capture-reply', personUrl: 'https://x.com/bob/status/1900000000000000020', threadUrl: 'https://x.com/bob/status/1900000000000000020' }]);
    ctl2.abort();
  });
});
