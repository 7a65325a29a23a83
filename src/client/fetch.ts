// The client's HTTP: JSON reads and form posts against the API, with failures logged (never thrown) as v4 does.
import type { RequestContext } from './types.js';
import { apiBase } from './url.js';

/** Logs to the console and, in a browser, to POST `_log` as v4's client logger does (`proxyLogger`, packages/next-auth/src/utils/logger.ts on branch v4). */
export function logError(code: string, error: unknown, url: string): void {
  console.error(`[gatehouse][error][${code}]`, url, error);
  if (typeof window != 'undefined') {
    const message = String((error as { message?: unknown } | null)?.message ?? error);
    // fetch with keepalive is what v4 falls back to without sendBeacon; its failure is not worth a second report.
    fetch(apiBase() + '/_log', {
      method: 'POST',
      keepalive: true,
      body: new URLSearchParams({ level: 'error', code, message, url, client: 'true' }),
    }).catch(() => {});
  }
}

/**
 * GET (or, with `body`, POST as JSON) `{base}/{path}`. Resolves the body, null for `{}` (v4 reads an
 * empty object as "nothing"), or undefined when the request failed or answered non-2xx.
 */
export async function fetchJson<T>(path: string, params?: RequestContext, body?: unknown): Promise<T | null | undefined> {
  const url = `${apiBase()}/${path}`;
  try {
    const headers = (params?.req ?? params?.ctx?.req)?.headers;
    // Duck-typed: a framework's Headers may come from another realm than this global.
    const cookie = headers && (typeof headers.get == 'function' ? (headers as Headers).get('cookie') : (headers as Record<string, unknown>).cookie);
    const res = await fetch(url, {
      headers: { 'Content-Type': 'application/json', ...(cookie ? { cookie: String(cookie) } : {}) },
      ...(body ? { method: 'POST', body: JSON.stringify(body) } : {}),
    });
    const data = await res.json();
    if (!res.ok) throw data;
    return Object.keys(data).length ? (data as T) : null;
  } catch (error) {
    logError('CLIENT_FETCH_ERROR', error, url);
    return undefined;
  }
}

/** POSTs a form in v4's JSON mode (`json=true`) and resolves the status and the `url` it answered, or null on failure. */
export async function postForm(path: string, fields: Record<string, unknown>): Promise<{ status: number; ok: boolean; url: string } | null> {
  const url = `${apiBase()}/${path}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, json: 'true' } as Record<string, string>),
    });
    const data = await res.json();
    if (typeof data.url != 'string') throw data;
    return { status: res.status, ok: res.ok, url: data.url };
  } catch (error) {
    logError('CLIENT_FETCH_ERROR', error, url);
    return null;
  }
}
