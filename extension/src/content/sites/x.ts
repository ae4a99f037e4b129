// X (Twitter): React DOM with data-testid hooks; notifications at /notifications and /notifications/mentions.
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { HOSTS } from '../../shared/platforms';
import { absolute } from '../adapter';
import { anchorsIn, on, RESERVED_X, site, textOf, timeIn } from '../site';

const hosts = HOSTS.x;
const isProfile = on(hosts, /^\/[A-Za-z0-9_]{1,15}\/?$/, (u) => !RESERVED_X.has(u.pathname.split('/')[1]!.toLowerCase()));
const isPost = on(hosts, /^\/[A-Za-z0-9_]{1,15}\/status\/\d+(\/.*)?$/, (u) => !RESERVED_X.has(u.pathname.split('/')[1]!.toLowerCase()));

const ACTIONS: [RegExp, InteractionKind][] = [
  [/\bliked\b/i, 'like'], [/\breposted\b|\bretweeted\b/i, 'share'], [/\bfollowed you/i, 'follow'],
];

export const x = site({
  platform: 'x',
  detectors: {
    profile: { test: isProfile, urls: ['https://x.com/alice', 'https://twitter.com/Bob_99/', 'https://mobile.x.com/carol'] },
    post: { test: isPost, urls: ['https://x.com/alice/status/1871234567890', 'https://twitter.com/bob/status/1/photo/1'] },
    notifications: {
      test: on(hosts, /^\/notifications(\/mentions|\/verified)?\/?$/),
      urls: ['https://x.com/notifications', 'https://x.com/notifications/mentions'],
    },
  },
  authors: (root) => anchorsIn(root, '[data-testid="User-Name"] a[href], [data-testid="UserCell"] a[href]', isProfile, 'article, [data-testid="UserCell"]'),
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const n of Array.from(root.querySelectorAll('article[data-testid="notification"]'))) {
      const text = textOf(n);
      const kind = ACTIONS.find(([re]) => re.test(text))?.[1];
      if (!kind) continue;
      const when = timeIn(n);
      const target = absolute(n.querySelector('a[href*="/status/"]')?.getAttribute('href'));
      for (const avatar of Array.from(n.querySelectorAll('[data-testid^="UserAvatar-Container-"]'))) {
        const handle = avatar.getAttribute('data-testid')!.slice('UserAvatar-Container-'.length);
        if (!/^[A-Za-z0-9_]{1,15}$/.test(handle)) continue;
        out.push({
          personUrl: `https://x.com/${handle}`, kind,
          externalId: `notification:${kind}:${handle.toLowerCase()}:${target ?? when ?? ''}`,
          ...(target ? { url: target } : {}), ...(when ? { occurredAt: when } : {}),
        });
      }
    }
    for (const t of Array.from(root.querySelectorAll('article[data-testid="tweet"]'))) {
      const author = anchorsIn(t, '[data-testid="User-Name"] a[href]', isProfile)[0];
      const status = Array.from(t.querySelectorAll('a[href*="/status/"]')).map((a) => absolute(a.getAttribute('href'))).find((u) => u && isPost(new URL(u)));
      if (!author || !status) continue;
      const id = /\/status\/(\d+)/.exec(status)![1];
      const when = timeIn(t);
      out.push({
        personUrl: author.url, kind: /Replying to/i.test(textOf(t)) ? 'reply' : 'mention',
        externalId: `status:${id}`, url: status, ...(when ? { occurredAt: when } : {}),
      });
    }
    return out;
  },
  composer: {
    submit: '[data-testid="tweetButton"], [data-testid="tweetButtonInline"]',
    target(_submit, page) {
      // Replying on a post's page answers that post's author; the server reads the author from the URL.
      if (isPost(page)) return absolute(page.toString());
      const replyingTo = document.querySelector('[role="dialog"] [data-testid="tweet"] [data-testid="User-Name"] a[href]');
      return replyingTo ? absolute(replyingTo.getAttribute('href')) : null;
    },
  },
});
