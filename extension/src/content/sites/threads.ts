// Threads: badges beside post authors.
import { HOSTS } from '../../shared/platforms';
import { anchorsIn, on, site } from '../site';

const hosts = HOSTS.threads;
const isProfile = on(hosts, /^\/@[A-Za-z0-9._]{1,30}\/?$/);

export const threads = site({
  platform: 'threads',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.threads.com/@zuck', 'https://www.threads.net/@ada.lovelace/'] },
    post: { test: on(hosts, /^\/@[A-Za-z0-9._]{1,30}\/post\/[A-Za-z0-9_-]+\/?$/), urls: ['https://www.threads.com/@zuck/post/C1a2b3'] },
  },
  authors: (root) => anchorsIn(root, 'a[href^="/@"]', isProfile, '[data-pressable-container="true"], article'),
});
