// The capture queue: every interaction the extension logs goes through chrome.storage first and is
// sent from there, so a closed browser, a stopped worker or a server that is down loses nothing.
// Each entry keeps one Idempotency-Key for all its attempts, so a retry after a lost answer never
// logs twice.

import { api, ApiError } from './api-client';
import type { InteractionBatchResult } from '../shared/api';
import { getLocal, setLocal, tryLock, withLock, type FailedCapture, type QueuedCapture } from '../shared/storage';

const MAX_BACKOFF_MS = 10 * 60_000;
const FIRST_BACKOFF_MS = 5_000;

export type FlushOutcome = { sent: number; pending: number; failed: number };

function newKey(): string {
  return crypto.randomUUID();
}

/** Adds a capture to the queue and returns its idempotency key. */
export async function enqueue(path: QueuedCapture['path'], body: unknown, now = Date.now()): Promise<string> {
  const key = newKey();
  await withLock('queue', async () => {
    const queue = await getLocal('queue');
    queue.push({ key, path, body, createdAt: now, attempts: 0, nextAttemptAt: now });
    await setLocal('queue', queue);
  });
  return key;
}

async function update(key: string, change: (entry: QueuedCapture) => QueuedCapture | null, failed?: FailedCapture[]): Promise<void> {
  await withLock('queue', async () => {
    const queue = await getLocal('queue');
    const next: QueuedCapture[] = [];
    for (const entry of queue) {
      if (entry.key !== key) next.push(entry);
      else {
        const changed = change(entry);
        if (changed) next.push(changed);
      }
    }
    await setLocal('queue', next);
    if (failed && failed.length > 0) {
      const kept = await getLocal('failedCaptures');
      await setLocal('failedCaptures', [...kept, ...failed].slice(-200));
    }
  });
}

/** Whether a failure may succeed later (network, server trouble, auth, rate limit, in flight). */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 401 || status === 403 || status === 408 || status === 409 || status === 429 || status >= 500;
}

export function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends every due entry, oldest first. Only one flush runs at a time; a second caller returns at
 * once (the running flush will pick up what it added).
 */
export async function flush(now = () => Date.now()): Promise<FlushOutcome | null> {
  return tryLock('flush', async () => {
    let sent = 0;
    const due = (await getLocal('queue')).filter((e) => e.nextAttemptAt <= now());
    for (const entry of due) {
      try {
        const result = await api<InteractionBatchResult | undefined>('POST', entry.path, { body: entry.body, idempotencyKey: entry.key });
        const refused = refusedItems(entry, result);
        await update(entry.key, () => null, refused);
        sent++;
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, { status: 0, title: String(e) });
        if (isRetryable(err.status)) {
          await update(entry.key, (x) => ({ ...x, attempts: x.attempts + 1, nextAttemptAt: now() + backoff(x.attempts + 1), lastError: err.message }));
          // The server is down or we are signed out: the rest would fail the same way.
          if (err.status === 0 || err.status === 401 || err.status >= 500) break;
        } else {
          await update(entry.key, () => null, [{ key: entry.key, body: entry.body, status: err.status, detail: err.message, at: now() }]);
        }
      }
    }
    const queue = await getLocal('queue');
    const failed = await getLocal('failedCaptures');
    return { sent, pending: queue.length, failed: failed.length };
  });
}

/** The items of a batch that the server answered with `error`, to keep for the user. */
function refusedItems(entry: QueuedCapture, result: InteractionBatchResult | undefined): FailedCapture[] {
  if (entry.path !== '/v1/interactions/batch' || !result || !Array.isArray(result.results)) return [];
  const items = (entry.body as { items?: unknown[] }).items ?? [];
  const out: FailedCapture[] = [];
  result.results.forEach((r, i) => {
    if (r.status === 'error') {
      const problem = r.problem as { detail?: string; title?: string; status?: number } | undefined;
      out.push({ key: `${entry.key}#${i}`, body: items[i], status: problem?.status ?? 422, detail: problem?.detail ?? problem?.title ?? 'refused', at: Date.now() });
    }
  });
  return out;
}

/** Makes every entry due now (after sign-in, or when the user asks to retry). */
export async function makeAllDue(now = Date.now()): Promise<void> {
  await withLock('queue', async () => {
    const queue = await getLocal('queue');
    await setLocal('queue', queue.map((e) => ({ ...e, nextAttemptAt: Math.min(e.nextAttemptAt, now) })));
  });
}
