// YouTube: badges beside comment authors and the video's channel; a comment on a video answers its channel.
import { HOSTS } from '../../shared/platforms';
import { absolute } from '../adapter';
import { anchorsIn, on, site } from '../site';

const hosts = HOSTS.youtube;
const isProfile = on(hosts, /^\/(@[A-Za-z0-9._-]{3,30}|channel\/UC[A-Za-z0-9_-]{22})\/?$/);
const isVideo = (u: URL) => (on(hosts, /^\/watch$/)(u) && u.searchParams.has('v')) || on(hosts, /^\/shorts\/[A-Za-z0-9_-]+\/?$/)(u);

export const youtube = site({
  platform: 'youtube',
  detectors: {
    profile: { test: isProfile, urls: ['https://www.youtube.com/@mkbhd', 'https://www.youtube.com/channel/UCBJycsmduvYEL83R_U4JriQ'] },
    video: { test: isVideo, urls: ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://m.youtube.com/shorts/abcDEF123'] },
  },
  authors: (root) => anchorsIn(root, 'a#author-text[href], ytd-video-owner-renderer a[href], ytd-channel-name a[href]', isProfile,
    'ytd-comment-view-model, ytd-comment-renderer, ytd-video-owner-renderer'),
  composer: {
    submit: 'ytd-commentbox #submit-button, ytd-commentbox button[aria-label="Comment"]',
    target(submit, page) {
      const comment = submit.closest('ytd-comment-thread-renderer, ytd-comment-view-model');
      const author = comment?.querySelector('a#author-text[href]') ?? document.querySelector('ytd-video-owner-renderer a[href]');
      return isVideo(page) && author ? absolute(author.getAttribute('href')) : null;
    },
  },
});
