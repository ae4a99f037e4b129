// GitHub: issue, pull request and discussion timelines (classic and React UIs) and the notifications inbox.
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { HOSTS } from '../../shared/platforms';
import { absolute } from '../adapter';
import { anchorsIn, on, site, textOf, timeIn } from '../site';

const hosts = HOSTS.github;
const RESERVED = new Set(['settings', 'notifications', 'explore', 'marketplace', 'pulls', 'issues', 'new', 'organizations',
  'orgs', 'login', 'logout', 'join', 'signup', 'topics', 'sponsors', 'features', 'about', 'pricing', 'search', 'trending',
  'codespaces', 'dashboard', 'collections', 'enterprise', 'security', 'site', 'apps', 'discussions', 'stars', 'watching']);
const isProfile = on(hosts, /^\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/?$/, (u) => !RESERVED.has(u.pathname.split('/')[1]!.toLowerCase()));
const isThread = on(hosts, /^\/[^/]+\/[^/]+\/(issues|pull|discussions)\/\d+(\/.*)?$/);

const REASONS: [RegExp, InteractionKind][] = [
  [/mention/i, 'mention'], [/review requested/i, 'mention'], [/comment|author|subscribed|participating/i, 'comment'],
];

export const github = site({
  platform: 'github',
  detectors: {
    profile: { test: isProfile, urls: ['https://github.com/octocat', 'https://github.com/Hubot/'] },
    thread: { test: isThread, urls: ['https://github.com/octo/repo/issues/12', 'https://github.com/octo/repo/pull/7/files'] },
    notifications: { test: on(hosts, /^\/notifications\/?$/), urls: ['https://github.com/notifications'] },
  },
  authors: (root) => anchorsIn(root,
    'a.author[href], a[data-testid="avatar-link"][href], a[data-hovercard-type="user"][href], [data-testid="issue-body-header-author"][href]',
    isProfile, '.timeline-comment, .js-comment-container, [data-testid^="comment-viewer-outer-box"], [data-testid="issue-body"], .TimelineItem'),
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const n of Array.from(root.querySelectorAll('.notifications-list-item[data-notification-id]'))) {
      const id = n.getAttribute('data-notification-id')!;
      const reason = textOf(n.querySelector('.notification-reason, [data-testid="notification-reason"]'));
      const kind = REASONS.find(([re]) => re.test(reason))?.[1];
      const actor = anchorsIn(n, '.AvatarStack a[href], a[data-hovercard-type="user"][href]', isProfile)[0];
      if (!kind || !actor) continue;
      const link = absolute(n.querySelector('a.notification-list-item-link, a[href*="/issues/"], a[href*="/pull/"]')?.getAttribute('href'));
      const when = timeIn(n);
      out.push({
        personUrl: actor.url, kind, externalId: `notification:${id}:${when ?? ''}`,
        ...(link ? { url: link } : {}), ...(when ? { occurredAt: when } : {}),
      });
    }
    return out;
  },
  composer: {
    submit: 'form.js-new-comment-form button[type="submit"], [data-testid="comment-composer"] button[type="submit"], button[data-testid="comment-submit-button"]',
    target(_submit, page) {
      if (!isThread(page)) return null;
      // A comment answers the thread; credit it to the latest commenter.
      const authors = github.authors(document);
      return authors.length > 0 ? authors[authors.length - 1]!.url : null;
    },
  },
});
