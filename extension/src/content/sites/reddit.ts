// Reddit: shreddit web components on www, classic markup on old, and the old inbox for notifications.
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { HOSTS } from '../../shared/platforms';
import type { AuthorRef } from '../adapter';
import { absolute } from '../adapter';
import { anchorsIn, on, site, textOf, timeIn } from '../site';

const hosts = HOSTS.reddit;
const isProfile = on(hosts, /^\/(u|user)\/[A-Za-z0-9_-]{3,20}\/?$/);
const userUrl = (name: string) => `https://www.reddit.com/user/${name}/`;
const NAME = /^[A-Za-z0-9_-]{3,20}$/;

const SUBJECTS: [RegExp, InteractionKind][] = [[/mention/i, 'mention'], [/reply/i, 'reply'], [/message/i, 'message']];

export const reddit = site({
  platform: 'reddit',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.reddit.com/user/spez/', 'https://old.reddit.com/u/Some_One'] },
    post: { test: on(hosts, /^\/r\/[^/]+\/comments\/[a-z0-9]+(\/.*)?$/), urls: ['https://www.reddit.com/r/ruby/comments/abc123/ruby_thread/'] },
    notifications: {
      test: on(hosts, /^\/(notifications|message\/(inbox|unread|comments|selfreply|mentions))\/?$/),
      urls: ['https://www.reddit.com/notifications', 'https://old.reddit.com/message/inbox/'],
    },
  },
  authors(root) {
    const out: AuthorRef[] = [];
    for (const el of Array.from(root.querySelectorAll('shreddit-post[author], shreddit-comment[author]'))) {
      const name = el.getAttribute('author')!;
      if (!NAME.test(name)) continue;
      const at = el.querySelector(`a[href*="/user/${name}"]`) ?? el.querySelector('[slot="commentMeta"], [slot="credit-bar"]') ?? el.firstElementChild;
      if (at) out.push({ at, url: userUrl(name) });
    }
    return out.concat(anchorsIn(root, 'a.author[href], a[data-testid="post_author_link"][href], [data-testid="comment"] a[href^="/user/"]',
      isProfile, '.thing, [data-testid="comment"], [data-testid="post-container"]').filter((r) => !r.at.closest('shreddit-post, shreddit-comment')));
  },
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const t of Array.from(root.querySelectorAll('.thing[data-fullname][data-author]'))) {
      const name = t.getAttribute('data-author')!;
      const kind = SUBJECTS.find(([re]) => re.test(textOf(t.querySelector('.subject'))))?.[1] ?? 'reply';
      if (!NAME.test(name)) continue;
      const link = absolute(t.getAttribute('data-permalink') ?? t.querySelector('a.bylink')?.getAttribute('href'));
      const when = timeIn(t);
      out.push({
        personUrl: userUrl(name), kind, externalId: t.getAttribute('data-fullname')!,
        ...(link ? { url: link } : {}), ...(when ? { occurredAt: when } : {}),
      });
    }
    return out;
  },
  composer: {
    submit: 'shreddit-composer button[type="submit"], shreddit-composer [slot="submit-button"], .usertext-buttons button.save',
    target(submit) {
      const comment = submit.closest('shreddit-comment[author], .thing.comment[data-author]');
      const post = document.querySelector('shreddit-post[author], .thing.link[data-author]');
      const name = (comment ?? post)?.getAttribute('author') ?? (comment ?? post)?.getAttribute('data-author');
      return name && NAME.test(name) ? userUrl(name) : null;
    },
  },
});
