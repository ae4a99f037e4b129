// Facebook: badges beside post and comment authors (no capture: Facebook's notifications are not read).
import { HOSTS } from '../../shared/platforms';
import { anchorsIn, on, site } from '../site';

const hosts = HOSTS.facebook;
const RESERVED = new Set(['watch', 'marketplace', 'groups', 'gaming', 'events', 'pages', 'notifications', 'messages',
  'friends', 'settings', 'help', 'policies', 'login', 'reel', 'reels', 'stories', 'photo', 'photo.php', 'permalink.php',
  'story.php', 'search', 'bookmarks', 'saved', 'memories', 'hashtag', 'home.php', 'privacy', 'ads']);
const isProfile = (u: URL) =>
  (on(hosts, /^\/profile\.php$/)(u) && /^\d+$/.test(u.searchParams.get('id') ?? '')) ||
  on(hosts, /^\/[A-Za-z0-9.]{5,50}\/?$/, (v) => !RESERVED.has(v.pathname.split('/')[1]!.toLowerCase()))(u);

export const facebook = site({
  platform: 'facebook',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.facebook.com/ada.lovelace.1', 'https://www.facebook.com/profile.php?id=100000000000001', 'https://m.facebook.com/ada.lovelace'] },
    post: {
      test: (u) => on(hosts, /^\/[^/]+\/posts\/[^/]+\/?$/)(u) || on(hosts, /^\/(permalink|story)\.php$/)(u),
      urls: ['https://www.facebook.com/zuck/posts/10115000000000000', 'https://www.facebook.com/permalink.php?story_fbid=1&id=2'],
    },
  },
  authors: (root) => anchorsIn(root, '[role="article"] :is(h2, h3, h4, strong) a[href], [role="article"] a[aria-label][href*="profile.php"]', isProfile, '[role="article"]'),
});
