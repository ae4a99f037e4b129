// The adapters by platform.
import type { PlatformId } from '../../shared/platforms';
import type { SiteAdapter } from '../adapter';
import { bluesky } from './bluesky';
import { facebook } from './facebook';
import { github } from './github';
import { instagram } from './instagram';
import { linkedin } from './linkedin';
import { mastodon } from './mastodon';
import { reddit } from './reddit';
import { threads } from './threads';
import { x } from './x';
import { youtube } from './youtube';

export const ADAPTERS: Record<PlatformId, SiteAdapter> = { x, linkedin, facebook, instagram, mastodon, reddit, github, bluesky, threads, youtube };
