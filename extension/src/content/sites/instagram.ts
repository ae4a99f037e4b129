// Instagram: badges beside post and comment authors.
import { HOSTS } from '../../shared/platforms';
import { anchorsIn, on, site } from '../site';

const hosts = HOSTS.instagram;
const RESERVED = new Set(['explore', 'reels', 'reel', 'direct', 'accounts', 'p', 'stories', 'about', 'legal', 'developer', 'web', 'tv', 'challenge']);
const isProfile = on(hosts, /^\/[A-Za-z0-9._]{1,30}\/?$/, (u) => !RESERVED.has(u.pathname.split('/')[1]!.toLowerCase()));

export const instagram = site({
  platform: 'instagram',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.instagram.com/natgeo/', 'https://www.instagram.com/ada.lovelace'] },
    post: { test: on(hosts, /^\/(?:[A-Za-z0-9._]{1,30}\/)?(p|reel)\/[A-Za-z0-9_-]+\/?$/), urls: ['https://www.instagram.com/p/C1a2b3c4d5/', 'https://www.instagram.com/reel/C9x8y7/'] },
  },
  authors: (root) => anchorsIn(root, 'article header a[href], article :is(h2, h3) a[href], ul li :is(h2, h3) a[href]', isProfile, 'article header, li, article'),
});
