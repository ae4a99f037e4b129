// Bluesky (bsky.app): React Native Web DOM with data-testid hooks that name the author's handle.
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { HOSTS } from '../../shared/platforms';
import { absolute, type AuthorRef } from '../adapter';
import { on, site, textOf, timeIn } from '../site';

const hosts = HOSTS.bluesky;
const isProfile = on(hosts, /^\/profile\/[^/]+\/?$/);
const isPost = on(hosts, /^\/profile\/[^/]+\/post\/[a-z0-9]+\/?$/);
const HANDLE = /^[A-Za-z0-9.:-]{3,253}$/;
const profileUrl = (handle: string) => `https://bsky.app/profile/${handle}`;

const ACTIONS: [RegExp, InteractionKind][] = [
  [/liked your/i, 'like'], [/reposted your/i, 'share'], [/followed you/i, 'follow'],
];

function itemsBy(root: ParentNode): { el: Element; handle: string }[] {
  return Array.from(root.querySelectorAll('[data-testid^="feedItem-by-"], [data-testid^="postThreadItem-by-"]'))
    .map((el) => ({ el, handle: el.getAttribute('data-testid')!.replace(/^(feedItem|postThreadItem)-by-/, '') }))
    .filter((i) => HANDLE.test(i.handle));
}

export const bluesky = site({
  platform: 'bluesky',
  detectors: {
    profile: { test: isProfile, urls: ['https://bsky.app/profile/ada.bsky.social', 'https://bsky.app/profile/did:plc:abc123'] },
    post: { test: isPost, urls: ['https://bsky.app/profile/ada.bsky.social/post/3kabc2def'] },
    notifications: { test: on(hosts, /^\/notifications\/?$/), urls: ['https://bsky.app/notifications'] },
  },
  authors(root) {
    const out: AuthorRef[] = [];
    for (const { el, handle } of itemsBy(root)) {
      const at = el.querySelector(`a[href="/profile/${handle}"]`) ?? el.firstElementChild;
      if (at) out.push({ at, url: profileUrl(handle) });
    }
    return out;
  },
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const n of Array.from(root.querySelectorAll('[data-testid="notification"]'))) {
      const kind = ACTIONS.find(([re]) => re.test(textOf(n)))?.[1];
      if (!kind) continue;
      const when = timeIn(n);
      const post = absolute(n.querySelector('a[href*="/post/"]')?.getAttribute('href'));
      for (const a of Array.from(n.querySelectorAll('a[href^="/profile/"]'))) {
        const handle = a.getAttribute('href')!.split('/')[2] ?? '';
        if (!HANDLE.test(handle) || a.getAttribute('href')!.includes('/post/')) continue;
        out.push({ personUrl: profileUrl(handle), kind, externalId: `notification:${kind}:${handle}:${post ?? when ?? ''}`,
          ...(post ? { url: post } : {}), ...(when ? { occurredAt: when } : {}) });
      }
    }
    for (const { el, handle } of itemsBy(root)) {
      const post = absolute(el.querySelector(`a[href^="/profile/${handle}/post/"]`)?.getAttribute('href'));
      if (!post) continue;
      const when = timeIn(el);
      out.push({ personUrl: profileUrl(handle), kind: /Reply to you|replied/i.test(textOf(el)) ? 'reply' : 'mention',
        externalId: `post:${post}`, url: post, ...(when ? { occurredAt: when } : {}) });
    }
    return out;
  },
  composer: {
    submit: '[data-testid="composerPublishBtn"]',
    target: (_submit, page) => (isPost(page) ? absolute(page.toString()) : null),
  },
});
