// Per-request steps that several routes share: the CSRF check and the callback URL, each computed once and only when a route asks.
import { checkCsrf, issueCsrf, type CsrfState } from '../core/csrf.js';
import { safeRedirectTarget } from '../core/redirect.js';
import type { RouteContext } from '../context.js';

/**
 * The CSRF state of this request; sets the cookie when the request had no valid one.
 * Lazy on purpose: GET `session` and `providers` never pay for it.
 */
export function csrf(ctx: RouteContext): CsrfState {
  const cached = ctx.memo.get('csrf') as CsrfState | undefined;
  if (cached) return cached;
  const { name, options } = ctx.cookieNames.csrfToken;
  const state = checkCsrf(ctx.requestCookies.get(name), ctx.body.csrfToken, ctx.config.secrets);
  if (state.cookieValue !== undefined) ctx.outCookies.push({ name, value: state.cookieValue, options });
  ctx.memo.set('csrf', state);
  return state;
}

/**
 * A new CSRF token once the user's identity changed (signed in, signed out): a token that was
 * known before (planted with a cookie, read from a cached or shared page) is worth nothing after.
 * next-auth/react fetches GET `csrf` before every POST, so clients pick the new one up unawares.
 */
export function rotateCsrf(ctx: RouteContext): void {
  const { name, options } = ctx.cookieNames.csrfToken;
  const fresh = issueCsrf(ctx.config.secrets[0]);
  const stale = ctx.outCookies.findIndex((cookie) => cookie.name === name);
  if (stale >= 0) ctx.outCookies.splice(stale, 1);
  ctx.outCookies.push({ name, value: fresh.cookieValue, options });
  ctx.memo.set('csrf', { token: fresh.token, cookieValue: fresh.cookieValue, verified: false } satisfies CsrfState);
}

/**
 * Passes a target through the redirect callback (user-written or the default rule) and a last
 * safety gate, so a throwing or sloppy callback never turns into a 500 or a `javascript:` URL.
 */
export async function applyRedirectCallback(ctx: RouteContext, target: string): Promise<string> {
  const baseUrl = ctx.url.origin;
  let result: unknown;
  try {
    result = await ctx.config.callbacks.redirect({ url: target, baseUrl });
  } catch (error) {
    ctx.config.logger.error('REDIRECT_CALLBACK_ERROR', error);
    return baseUrl;
  }
  return absolute(ctx, safeRedirectTarget(result, baseUrl));
}

/** Relative targets are made absolute: the client parses `{url}` with `new URL()`. */
export function absolute(ctx: RouteContext, target: string): string {
  return target.startsWith('/') ? `${ctx.url.origin}${target}` : target;
}

/**
 * v4's order (packages/next-auth/src/core/lib/callback-url.ts on branch v4): body, then query, then the callback-url cookie, through the redirect callback; the
 * origin when none. The cookie is re-set whenever the result differs from what it held.
 */
export async function callbackUrl(ctx: RouteContext): Promise<string> {
  const cached = ctx.memo.get('callbackUrl') as string | undefined;
  if (cached !== undefined) return cached;
  const { name, options } = ctx.cookieNames.callbackUrl;
  const fromCookie = ctx.requestCookies.get(name);
  const fromRequest = pick(ctx.body.callbackUrl) ?? pick(ctx.query.callbackUrl);
  const candidate = fromRequest ?? fromCookie;
  const resolved = candidate === undefined ? ctx.url.origin : await applyRedirectCallback(ctx, candidate);
  if (resolved !== fromCookie) ctx.outCookies.push({ name, value: resolved, options });
  ctx.memo.set('callbackUrl', resolved);
  return resolved;
}

function pick(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The form a failed POST goes back to (`<base>/signup`, `<base>/password/reset?token=…`), with
 * `error` and `code` added, instead of the error page: set by the route before it can fail.
 */
export function returnErrorsTo(ctx: RouteContext, formUrl: string): void {
  ctx.memo.set('errorForm', formUrl);
}

/** `<base>/error?error=<code>` (plus `&provider=` for credentials, as v4, and `&code=` for a custom credentials code, as Auth.js v5), absolute. */
export function errorUrl(ctx: RouteContext, code: string, provider?: string, detail?: string): string {
  const params = new URLSearchParams({ error: code });
  if (provider) params.set('provider', provider);
  if (detail) params.set('code', detail);
  const form = ctx.memo.get('errorForm');
  if (typeof form === 'string') return `${form}${form.includes('?') ? '&' : '?'}${params}`;
  return `${ctx.url.base}/error?${params}`;
}

/** The body's string fields: a JSON body may hold numbers, arrays or objects, which no flow reads as a field. */
export function stringFields(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * A POST from an HTML form that wants a page back: form-encoded (not `application/json`), without
 * v4's `json=true` or v5's `X-Auth-Return-Redirect` (handler.ts answers those with `{url}`). The
 * JSON-first routes (`two-factor/*`, `passkeys/*`, `reauthenticate`) answer such a post with the
 * security page instead of JSON (flows/security-page.ts); every other caller gets JSON as before.
 */
export function isPageForm(ctx: RouteContext): boolean {
  if (ctx.method !== 'POST' || ctx.body.json === 'true' || ctx.header('x-auth-return-redirect') !== null) return false;
  const type = (ctx.header('content-type') ?? '').toLowerCase();
  return type.includes('application/x-www-form-urlencoded');
}
