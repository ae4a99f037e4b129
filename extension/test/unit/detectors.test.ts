// Every URL detector matches the URLs it carries, and no other detector (of any site) matches them.
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/content/sites';

const all = Object.values(ADAPTERS).flatMap((a) =>
  Object.entries(a.detectors).map(([name, d]) => ({ id: `${a.platform}.${name}`, ...d })));

describe('url detectors', () => {
  it('every site has at least one detector with at least one URL', () => {
    for (const a of Object.values(ADAPTERS)) {
      expect(Object.values(a.detectors).flatMap((d) => d.urls).length, a.platform).toBeGreaterThan(0);
    }
  });

  for (const d of all) {
    it(`${d.id} matches its own URLs`, () => {
      for (const url of d.urls) expect(d.test(new URL(url)), url).toBe(true);
    });

    it(`${d.id} matches none of the other detectors' URLs`, () => {
      for (const other of all.filter((o) => o.id !== d.id)) {
        for (const url of other.urls) expect(d.test(new URL(url)), `${d.id} on ${other.id}: ${url}`).toBe(false);
      }
    });
  }

  it('site paths that are not people are not profiles', () => {
    for (const url of ['https://x.com/home', 'https://x.com/i/flow/login', 'https://github.com/settings', 'https://www.instagram.com/explore/',
      'https://x.com/notifications', 'https://github.com/notifications', 'https://www.facebook.com/marketplace', 'http://x.com/alice']) {
      const hits = all.filter((d) => d.id.endsWith('.profile') && d.test(new URL(url)));
      expect(hits.map((h) => h.id), url).toEqual([]);
    }
  });
});
