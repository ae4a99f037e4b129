// The supported sites: platform ids (as the server names them) and the hosts each one lives on.

export const PLATFORMS = [
  'x', 'linkedin', 'facebook', 'instagram', 'mastodon', 'reddit', 'github', 'bluesky', 'threads', 'youtube',
] as const;

export type PlatformId = (typeof PLATFORMS)[number];

/** Hosts per platform. Mastodon lists the big instances built in; users add theirs in the options. */
export const HOSTS: Record<PlatformId, readonly string[]> = {
  x: ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'],
  linkedin: ['www.linkedin.com'],
  facebook: ['www.facebook.com', 'm.facebook.com'],
  instagram: ['www.instagram.com'],
  mastodon: ['mastodon.social'],
  reddit: ['www.reddit.com', 'old.reddit.com'],
  github: ['github.com'],
  bluesky: ['bsky.app'],
  threads: ['www.threads.com', 'www.threads.net'],
  youtube: ['www.youtube.com', 'm.youtube.com'],
};

export const PLATFORM_NAMES: Record<PlatformId, string> = {
  x: 'X', linkedin: 'LinkedIn', facebook: 'Facebook', instagram: 'Instagram', mastodon: 'Mastodon',
  reddit: 'Reddit', github: 'GitHub', bluesky: 'Bluesky', threads: 'Threads', youtube: 'YouTube',
};

/** Sites the user can switch off. LinkedIn starts off: its user agreement forbids automated collection. */
export const DEFAULT_SITE_SWITCHES: Record<PlatformId, boolean> = {
  x: true, linkedin: false, facebook: true, instagram: true, mastodon: true,
  reddit: true, github: true, bluesky: true, threads: true, youtube: true,
};

export function isPlatformId(value: unknown): value is PlatformId {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

/** The platform whose site this is, or null. `extraMastodonHosts` are instances the user added. */
export function platformOfHost(host: string, extraMastodonHosts: readonly string[] = []): PlatformId | null {
  const h = host.toLowerCase();
  for (const p of PLATFORMS) {
    if (HOSTS[p].includes(h)) return p;
  }
  return extraMastodonHosts.includes(h) ? 'mastodon' : null;
}

/** The platform of an https URL on a supported site, or null for anything else (including http). */
export function platformOfUrl(url: string, extraMastodonHosts: readonly string[] = []): PlatformId | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  return platformOfHost(parsed.hostname, extraMastodonHosts);
}
