// Starts the real server jar (embedded PostgreSQL) and Chromium with the built extension loaded.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const EXTENSION_DIR = resolve(__dirname, '../..');
export const DIST = join(EXTENSION_DIR, 'dist');
export const FIXTURES = join(EXTENSION_DIR, 'test/fixtures');
export const ARTIFACTS = join(EXTENSION_DIR, 'test/artifacts');
const JAR = process.env.RECIPROCITY_SERVER_JAR ?? resolve(EXTENSION_DIR, '../server/target/reciprocity-server.jar');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

export class Server {
  proc: ChildProcess | null = null;
  readonly home = mkdtempSync(join(tmpdir(), 'reciprocity-e2e-'));
  log = '';
  constructor(readonly port: number) {}

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  /** Starts the server; does nothing when it is already running. */
  async start(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) return;
    if (!existsSync(JAR)) throw new Error(`Server jar missing at ${JAR}: build the server module first (mvn -pl server package)`);
    this.proc = spawn('java', ['-jar', JAR], {
      env: { ...process.env, RECIPROCITY_HOME: this.home, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d) => { this.log += d; });
    this.proc.stderr!.on('data', (d) => { this.log += d; });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`server exited ${this.proc.exitCode}:\n${this.log.slice(-3000)}`);
      try {
        const r = await fetch(`${this.url}/health/ready`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`server not ready after 90 s:\n${this.log.slice(-3000)}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((done) => {
      p.once('exit', () => done());
      p.kill('SIGTERM');
      setTimeout(() => p.kill('SIGKILL'), 15_000);
    });
    this.proc = null;
  }
}

/** A tiny client for seeding and checking the server directly. */
export class Api {
  token = '';
  constructor(readonly base: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.call<T>(method, path, body, headers);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

export async function launch(): Promise<{ context: BrowserContext; worker: Worker; extensionId: string }> {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error('dist/ missing: run npm run build first');
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'reciprocity-profile-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: false, // --headless=new below: the old headless mode cannot load extensions
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`],
    viewport: { width: 1100, height: 800 },
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId };
}

/** A profile page on X for any handle, so tests can visit as many people as they need. */
const X_PROFILE = /^https:\/\/x\.com\/([A-Za-z0-9_]{1,15})$/;

/**
 * Serves https://<site>/... from fixture files: `pages` maps a full URL to a fixture path; any other
 * https://x.com/<handle> gets the X profile fixture with that handle in it; everything else is a 404.
 */
export async function serveFixtures(context: BrowserContext, pages: Record<string, string>): Promise<void> {
  await context.route(/^https:\/\/(x\.com|twitter\.com|github\.com|www\.reddit\.com|old\.reddit\.com|mastodon\.social|bsky\.app|www\.linkedin\.com|www\.facebook\.com|www\.instagram\.com|www\.threads\.com|www\.youtube\.com|example\.org)\//, async (route) => {
    const url = route.request().url();
    const file = pages[url];
    const handle = X_PROFILE.exec(url)?.[1];
    if (!file && handle) {
      const body = readFileSync(join(FIXTURES, 'x/profile.synthetic.html'), 'utf8').replaceAll('alice', handle).replaceAll('Alice', handle);
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    }
    if (!file) return route.fulfill({ status: 404, contentType: 'text/html', body: '<!doctype html><title>not found</title>' });
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: readFileSync(join(FIXTURES, file)) });
  });
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function until<T>(fn: () => Promise<T>, ms = 10_000, step = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, step));
  }
}
