// The one place that talks to the Reciprocity server: builds URLs, adds the bearer token, renews an
// expired session once, and turns every failure into an ApiError with the server's problem text.

import type { ReplyError } from '../shared/messages';
import type { TokenPair } from '../shared/api';
import { getCredentials, getLocal, setCredentials, setLocal, withLock, type Credentials } from '../shared/storage';

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: ReplyError) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A multipart body instead of JSON (the browser sets its Content-Type with the boundary). */
  form?: FormData;
  idempotencyKey?: string;
  /** Send credentials (default true). */
  auth?: boolean;
  /** Override the stored server URL (sign-in against a server not saved yet). */
  serverUrl?: string;
}

const RENEW_MARGIN_MS = 20_000;

/** The absolute URL for an API path; paths are constants in the worker, ids are numbers. */
export function buildUrl(serverUrl: string, path: string, query: Query = {}): string {
  const base = serverUrl.replace(/\/+$/, '');
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url.toString();
}

async function send(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const json = body !== undefined && !(body instanceof FormData);
  try {
    return await fetch(url, {
      method,
      headers: json ? { ...headers, 'Content-Type': 'application/json' } : headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { status: 0, title: 'Server unreachable', detail: `Could not reach ${new URL(url).origin}` });
  }
}

async function problemOf(res: Response): Promise<ApiError> {
  let problem: ReplyError = { status: res.status, title: res.statusText || `HTTP ${res.status}` };
  try {
    const p = (await res.json()) as Partial<ReplyError>;
    problem = {
      status: res.status,
      title: typeof p.title === 'string' ? p.title : problem.title,
      ...(typeof p.detail === 'string' ? { detail: p.detail } : {}),
      ...(typeof p.field === 'string' ? { field: p.field } : {}),
    };
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(res.status, problem);
}

export function credentialsFromPair(pair: TokenPair, now = Date.now()): Credentials {
  return { kind: 'session', accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: now + pair.expiresIn * 1000 };
}

/**
 * Trades the refresh token for a new pair. Refresh tokens work once and reuse revokes the family,
 * so this runs under a lock and skips the call when another request already renewed `stale`.
 */
async function renew(stale: string): Promise<Credentials | null> {
  return withLock('auth', async () => {
    const current = await getCredentials();
    if (current?.kind !== 'session') return current;
    if (current.accessToken !== stale) return current;
    const serverUrl = await getLocal('serverUrl');
    const res = await send('POST', buildUrl(serverUrl, '/v1/auth/refresh'), { Accept: 'application/json' }, { refreshToken: current.refreshToken });
    if (res.status === 401 || res.status === 400) {
      await setCredentials(null);
      await setLocal('account', null);
      return null;
    }
    if (!res.ok) throw await problemOf(res);
    const fresh = credentialsFromPair((await res.json()) as TokenPair);
    await setCredentials(fresh);
    return fresh;
  });
}

async function bearer(creds: Credentials | null): Promise<string | null> {
  if (creds === null) return null;
  if (creds.kind === 'pat') return creds.token;
  if (creds.expiresAt - Date.now() < RENEW_MARGIN_MS) {
    const fresh = await renew(creds.accessToken);
    return fresh === null ? null : fresh.kind === 'pat' ? fresh.token : fresh.accessToken;
  }
  return creds.accessToken;
}

const NOT_SIGNED_IN = new ApiError(401, { status: 401, title: 'Not signed in', detail: 'Sign in on the options page.' });

/** Calls the API and returns the parsed JSON body (undefined for 204). */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const useAuth = opts.auth !== false;
  const [storedUrl, creds] = await Promise.all([opts.serverUrl ?? getLocal('serverUrl'), useAuth ? getCredentials() : null]);
  const url = buildUrl(storedUrl, path, opts.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let token: string | null = null;
  if (useAuth) {
    token = await bearer(creds);
    if (token === null) throw NOT_SIGNED_IN;
    headers.Authorization = `Bearer ${token}`;
  }
  const body = opts.form ?? opts.body;
  let res = await send(method, url, headers, body);
  if (res.status === 401 && useAuth) {
    const creds = await getCredentials();
    if (creds?.kind === 'session' && creds.accessToken === token) {
      const fresh = await renew(token);
      if (fresh === null) throw NOT_SIGNED_IN;
      headers.Authorization = `Bearer ${fresh.kind === 'pat' ? fresh.token : fresh.accessToken}`;
      res = await send(method, url, headers, body);
    }
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
