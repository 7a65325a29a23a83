// What a route receives (one request, already parsed) and what it returns (a plain result the handler turns into a Response).
import type { CookieSet, ResolvedConfig } from '../config.js';
import type { SetCookie } from '../core/cookies.js';
import type { BaseUrl } from '../types.js';

export interface RouteContext {
  readonly config: ResolvedConfig;
  readonly url: BaseUrl;
  readonly method: 'GET' | 'POST';
  readonly action: string;
  readonly providerId: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  /** Form or JSON body of a POST; empty for GET. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Cookies the request carried. */
  readonly requestCookies: ReadonlyMap<string, string>;
  /** Names and attributes of our cookies for this base URL (secure on https). */
  readonly cookieNames: CookieSet;
  /** The request as a Fetch Request, built on first access (user callbacks receive it). */
  readonly request: Request;
  /** A request header by lower-case name, without building a Request. */
  header(name: string): string | null;
  /** The peer address the integration saw (socket), if it passed one; proxies' headers are not read here. */
  readonly clientAddress: string | undefined;
  /** Cookies set by shared steps (CSRF, callback URL) before the route's own. */
  readonly outCookies: SetCookie[];
  /** Memo of per-request lazy values (CSRF state, resolved callback URL). */
  readonly memo: Map<string, unknown>;
}

export interface RouteResult {
  status?: number;
  headers?: Record<string, string>;
  /** Serialized as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Already-serialized JSON, sent as `application/json` (for bodies cached per instance). */
  jsonText?: string;
  /** Sent as `text/html`. */
  html?: string;
  /** Sent as `text/plain`. */
  text?: string;
  /** A 302, or `{url}` in JSON mode. */
  redirect?: string;
  cookies?: SetCookie[];
}

export type Route = (ctx: RouteContext) => Promise<RouteResult> | RouteResult;

export const NO_CACHE: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'private, no-cache, no-store',
  Pragma: 'no-cache',
  Expires: '0',
});
