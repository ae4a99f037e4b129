// LinkedIn: off by default (its user agreement forbids automated collection; the user opts in).
import type { InboundCapture } from '../../shared/messages';
import type { InteractionKind } from '../../shared/api';
import { HOSTS } from '../../shared/platforms';
import { absolute } from '../adapter';
import { anchorsIn, on, site, textOf, timeIn } from '../site';

const hosts = HOSTS.linkedin;
const isProfile = on(hosts, /^\/in\/[^/]+\/?$/);

const ACTIONS: [RegExp, InteractionKind][] = [
  [/commented on/i, 'comment'], [/mentioned you/i, 'mention'], [/replied to/i, 'reply'], [/endorsed you/i, 'endorsement'],
  [/recommend/i, 'recommendation'], [/reacted to|likes? your/i, 'like'], [/shared your|reposted/i, 'share'], [/follow/i, 'follow'],
];

export const linkedin = site({
  platform: 'linkedin',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.linkedin.com/in/alice-example/'] },
    post: { test: on(hosts, /^\/(feed\/update\/[^/]+|posts\/[^/]+|pulse\/[^/]+)\/?$/), urls: ['https://www.linkedin.com/feed/update/urn:li:activity:7350000000000000000/', 'https://www.linkedin.com/posts/alice_some-post-activity-1'] },
    notifications: { test: on(hosts, /^\/notifications\/?$/), urls: ['https://www.linkedin.com/notifications/'] },
  },
  authors: (root) => anchorsIn(root,
    '.feed-shared-update-v2 a[href*="/in/"], .comments-comment-item a[href*="/in/"], a.comment__actor-name[href*="/in/"], .update-components-actor a[href*="/in/"]',
    isProfile, '.comments-comment-item, .feed-shared-update-v2, .comment'),
  notifications(root) {
    const out: InboundCapture[] = [];
    for (const card of Array.from(root.querySelectorAll('article.nt-card, [data-finite-scroll-hotkey-item]'))) {
      const kind = ACTIONS.find(([re]) => re.test(textOf(card)))?.[1];
      const actor = anchorsIn(card, 'a[href*="/in/"]', isProfile)[0];
      const id = card.getAttribute('data-urn') ?? card.getAttribute('data-id');
      if (!kind || !actor || !id) continue;
      const link = absolute(card.querySelector('a[href*="/feed/update/"]')?.getAttribute('href'));
      const when = timeIn(card);
      out.push({ personUrl: actor.url, kind, externalId: `notification:${id}`, ...(link ? { url: link } : {}), ...(when ? { occurredAt: when } : {}) });
    }
    return out;
  },
  composer: {
    submit: 'button.comments-comment-box__submit-button, button.comments-comment-box__submit-button--cr',
    target(submit) {
      const post = submit.closest('.feed-shared-update-v2') ?? document;
      return anchorsIn(post, 'a[href*="/in/"]', isProfile)[0]?.url ?? null;
    },
  },
});
