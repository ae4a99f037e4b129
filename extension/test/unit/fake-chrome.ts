// An in-memory chrome.storage (local and session) for unit tests of worker code.

type Store = Record<string, unknown>;

function area(store: Store) {
  return {
    async get(keys: string | string[] | null) {
      if (keys === null) return structuredClone(store);
      const list = Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in store).map((k) => [k, structuredClone(store[k])]));
    },
    async set(items: Store) {
      Object.assign(store, structuredClone(items));
    },
    async remove(keys: string | string[]) {
      for (const k of Array.isArray(keys) ? keys : [keys]) delete store[k];
    },
  };
}

export function installFakeChrome(): { local: Store; session: Store } {
  const local: Store = {};
  const session: Store = {};
  (globalThis as unknown as { chrome: unknown }).chrome = { storage: { local: area(local), session: area(session) } };
  return { local, session };
}
