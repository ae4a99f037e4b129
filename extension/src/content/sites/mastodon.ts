// Mastodon: the web UI on any instance (mastodon.social built in; users add theirs).
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { platformOfHost } from '../../shared/platforms';
import { absolute, type AuthorRef } from '../adapter';
import { anchorsIn, site, textOf, timeIn } from '../site';

// Any instance (the content script only runs on those the user allowed), but never another site.
const anyHost = (path: RegExp) => (u: URL) =>
  u.protocol === 'https:' && path.test(u.pathname) && [null, 'mastodon'].includes(platformOfHost(u.hostname));
const isProfile = anyHost(/^\/@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+)?\/?$/);
const isPost = anyHost(/^\/@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+)?\/\d+\/?$/);

const KINDS: [RegExp, InteractionKind][] = [
  [/favourite/, 'like'], [/reblog/, 'share'], [/follow/, 'follow'], [/mention|status/, 'mention'],
];

export const mastodon = site({
  platform: 'mastodon',
  detectors: {
    profile: { test: isProfile, urls: ['https://mastodon.social/@Gargron', 'https://hachyderm.io/@ada@example.org'] },
    post: { test: isPost, urls: ['https://mastodon.social/@Gargron/109000000000000000', 'https://todon.nl/@burnoutqueen/116892639909737254'] },
    notifications: { test: anyHost(/^\/notifications(\/[a-z]+)?\/?$/), urls: ['https://mastodon.social/notifications'] },
  },
  authors(root) {
    const out: AuthorRef[] = anchorsIn(root, 'a.status__display-name[href], a.detailed-status__display-name[href], a.account__display-name[href]',
      isProfile, '.status, .detailed-status, .account');
    // Some views render the name without a link; the full @user@host is in .display-name__account.
    for (const name of Array.from(root.querySelectorAll('.status__display-name:not([href]), .detailed-status__display-name:not([href])'))) {
      const acct = /@([A-Za-z0-9_]+)@([A-Za-z0-9.-]+)/.exec(textOf(name));
      if (acct) out.push({ at: name, url: `https://${acct[2]}/@${acct[1]}` });
    }
    return out;
  },
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const n of Array.from(root.querySelectorAll('.notification, .notification-group, .notification-ungrouped'))) {
      const kind = KINDS.find(([re]) => re.test(n.className))?.[1];
      if (!kind) continue;
      const status = absolute(Array.from(n.querySelectorAll('a[href]')).map((a) => a.getAttribute('href')).find((h) => h && isPost(new URL(h, location.href))));
      const when = timeIn(n);
      const actors = anchorsIn(n, 'a[href]', isProfile).slice(0, kind === 'mention' ? 1 : 10);
      for (const actor of actors) {
        const acct = new URL(actor.url).pathname.slice(2).toLowerCase();
        out.push({
          personUrl: actor.url, kind, externalId: `notification:${kind}:${acct}:${status ?? when ?? ''}`,
          ...(status ? { url: status } : {}), ...(when ? { occurredAt: when } : {}),
        });
      }
    }
    return out;
  },
  composer: {
    submit: '.compose-form button[type="submit"], .compose-form__publish button',
    target(_submit, page) {
      const to = document.querySelector('.reply-indicator a[href], .edit-indicator a[href]');
      if (to) return absolute(to.getAttribute('href'));
      return isPost(page) ? absolute(page.toString()) : null;
    },
  },
});
