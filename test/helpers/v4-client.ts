// The real next-auth/react v4 client (from test/peers) in Node: a minimal page (`window.location`) and a same-origin fetch with a cookie jar.
import { peerRequire } from './peers.js';
import type { Browser } from './server.js';

export interface V4Client {
  signIn(provider?: string, options?: Record<string, unknown>, authorizationParams?: Record<string, string>): Promise<unknown>;
  signOut(options?: Record<string, unknown>): Promise<unknown>;
  getSession(): Promise<{ user?: Record<string, unknown> } | null>;
  getCsrfToken(): Promise<string | undefined>;
}

export interface Page {
  /** Where the client last navigated (`window.location.href`). */
  readonly href: string;
  /** How often the client called `window.location.reload()`. */
  readonly reloads: number;
  restore(): void;
}

/**
 * Installs the page the clients need (`window.location`, also as `location`). Same-origin requests
 * go to the server with `browser`'s cookies and never follow redirects (as a page's `fetch` of a
 * JSON answer); others go to the real fetch.
 */
export function installPage(origin: string, browser: Browser, path = '/page'): Page {
  const realFetch = globalThis.fetch;
  const g = globalThis as unknown as { window?: unknown; location?: unknown; fetch: typeof fetch };
  const state = { href: `${origin}${path}`, reloads: 0 };
  const location = {
    get href() {
      return state.href;
    },
    set href(value: string) {
      state.href = new URL(value, state.href).href;
    },
    reload() {
      state.reloads++;
    },
  };
  g.window = { location };
  g.location = location;
  g.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), origin);
    if (url.origin !== origin) return realFetch(input, init);
    const headers = new Headers(init?.headers);
    if (browser.jar.size) headers.set('cookie', browser.cookieHeader());
    const response = await realFetch(url, { ...init, headers, redirect: 'manual' });
    browser.store(response);
    return response;
  };
  return {
    get href() {
      return state.href;
    },
    get reloads() {
      return state.reloads;
    },
    restore() {
      g.fetch = realFetch;
      delete g.window;
      delete g.location;
    },
  };
}

/** next-auth/react 4.24 itself; load it after `installPage` (it keeps its state in module scope, one page per process). */
export function v4Client(): V4Client {
  return peerRequire<V4Client>('next-auth/react');
}
