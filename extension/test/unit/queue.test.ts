// The capture queue keeps every capture until the server has it, retries with the same
// Idempotency-Key, and never sends one twice once it got through.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueue, flush, isRetryable, backoff } from '../../src/background/queue';
import type { QueuedCapture } from '../../src/shared/storage';
import { installFakeChrome } from './fake-chrome';

let stores: ReturnType<typeof installFakeChrome>;
const calls: { url: string; key: string | null; body: unknown }[] = [];

function serverAnswers(...answers: (number | 'down')[]) {
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({ url, key: headers['Idempotency-Key'] ?? null, body: JSON.parse(String(init.body)) });
    const a = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (a === 'down') throw new TypeError('Failed to fetch');
    return new Response(a === 204 ? null : JSON.stringify(a < 300 ? { id: 1 } : { title: 'Nope', status: a }), { status: a });
  }));
}

const queue = () => (stores.local.queue ?? []) as QueuedCapture[];

beforeEach(() => {
  stores = installFakeChrome();
  stores.local.serverUrl = 'http://localhost:7070';
  stores.session.credentials = { kind: 'pat', token: 'rcp_test' };
  calls.length = 0;
});

describe('capture queue', () => {
  it('sends a capture with its idempotency key and forgets it once accepted', async () => {
    serverAnswers(201);
    const key = await enqueue('/v1/interactions', { kind: 'reply' });
    expect(await flush()).toEqual({ sent: 1, pending: 0, failed: 0 });
    expect(calls).toEqual([{ url: 'http://localhost:7070/v1/interactions', key, body: { kind: 'reply' } }]);
    expect(queue()).toEqual([]);
  });

  it('keeps the capture while the server is down and retries it with the same key', async () => {
    serverAnswers('down');
    const key = await enqueue('/v1/interactions', { kind: 'reply' });
    await flush();
    expect(queue()).toHaveLength(1);
    expect(queue()[0]).toMatchObject({ key, attempts: 1 });
    serverAnswers(201);
    await flush(() => Date.now() + 60_000);
    expect(queue()).toEqual([]);
    expect(calls.map((c) => c.key)).toEqual([key, key]);
  });

  it('does not retry before the backoff has passed', async () => {
    serverAnswers('down');
    await enqueue('/v1/interactions', { kind: 'reply' });
    await flush();
    await flush();
    expect(calls).toHaveLength(1);
  });

  it('keeps captures on 5xx, 429 and 409, and sets aside ones the server refuses for good', async () => {
    for (const status of [500, 503, 429, 409, 401]) expect(isRetryable(status), String(status)).toBe(true);
    for (const status of [400, 413, 422]) expect(isRetryable(status), String(status)).toBe(false);
    serverAnswers(422);
    const key = await enqueue('/v1/interactions', { kind: 'bad' });
    await flush();
    expect(queue()).toEqual([]);
    expect(stores.local.failedCaptures).toMatchObject([{ key, status: 422 }]);
  });

  it('stops at the first network failure instead of hammering a dead server', async () => {
    serverAnswers('down');
    await enqueue('/v1/interactions', { n: 1 });
    await enqueue('/v1/interactions', { n: 2 });
    await flush();
    expect(calls).toHaveLength(1);
    expect(queue()).toHaveLength(2);
  });

  it('backs off exponentially up to ten minutes', () => {
    expect(backoff(1)).toBe(5_000);
    expect(backoff(2)).toBe(10_000);
    expect(backoff(30)).toBe(600_000);
  });

  it('keeps captures made while signed out', async () => {
    delete stores.session.credentials;
    serverAnswers(201);
    await enqueue('/v1/interactions', { kind: 'reply' });
    await flush();
    expect(calls).toHaveLength(0);
    expect(queue()).toHaveLength(1);
  });
});
