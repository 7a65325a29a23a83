// Request in, Response out: finds the base URL and route, runs it, and turns results and errors into responses.
import { pageText, variesByLanguage } from './flows/locale.js';
import type { ResolvedConfig } from './config.js';
import type { AuthInstance, RouteContext, RouteResult } from './context.js';
import { parseCookies, serializeCookie } from './core/cookies.js';
import { isUnavailable } from './adapters/errors.js';
import { isLoopbackHost, isValidHost, safeDecode } from './core/url.js';
import { isCrossSite } from './core/fetch-site.js';
import { duplicateJsonKey, parseFields } from './core/fields.js';
import {
  AccountLockedError,
  BadRequestError,
  CrossSiteRequestError,
  DuplicateFieldError,
  ERRORS,
  isAuthError,
  OUTAGE_RETRY_AFTER_SECONDS,
  RateLimitedError,
  ServiceUnavailableError,
  type AuthError,
  type ErrorCode,
  type V4Log,
} from './errors.js';
import { cookieNamesFor, requestProtocol } from './flows/cookie-scheme.js';
import { absolute, errorUrl } from './flows/request-state.js';
import { reportSignInFailure } from './flows/security-events.js';
import { renderErrorPage, type ErrorPageInput } from './pages/error.js';
import { errorView } from './pages/messages.js';
import { formTargets } from './flows/form-targets.js';
import { addPageSecurityHeaders } from './pages/security-headers.js';
import { ROUTES } from './routes/index.js';
import type { Incoming, Outgoing } from './incoming.js';
import type { BaseUrl } from './types.js';

/** Bodies are small forms; anything larger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_URL_LENGTH = 16 * 1024;
const MAX_HOSTS_CACHED = 64;

const CONFIG_ERROR_BODY = { message: 'There is a problem with the server configuration. Check the server logs for more information.' };

/**
 * A Fetch `Request` carries no peer address, so `auth.handler(request)` (Next's App Router, Bun,
 * Deno, Workers) has nothing to key the per-IP limits on and they silently do not apply.
 */
const NO_CLIENT_IP_MESSAGE =
  'A request arrived without a client address (auth.handler(request) with no `{ clientAddress }`), so the per-IP rate limits do not apply. ' +
  'Set `rateLimit.ipHeader` to the header your host or proxy sets (e.g. "x-forwarded-for", "cf-connecting-ip", "fly-client-ip"), ' +
  'pass `rateLimit.clientIp`, or call auth.handler(request, { clientAddress }).';

/** Which actions answer HTML; errors there render the error page instead of JSON. */
const PAGE_ACTIONS: ReadonlySet<string> = new Set(['signin', 'signout', 'error', 'verify-request', 'callback', 'signup', 'verify-email', 'password']);

/** What an integration knows about the connection that a Web Request does not carry. */
export interface RequestInfo {
  /** The socket's remote address (used for rate limits unless `rateLimit.ipHeader`/`clientIp` says otherwise). */
  clientAddress?: string | undefined;
}

export type Handler = (request: Request, info?: RequestInfo) => Promise<Response>;
export type RawHandler = (incoming: Incoming, info?: RequestInfo) => Promise<Outgoing>;

/** The handler on plain request and response records; `handler` wraps it in Fetch objects. */
export function createRawHandler(instance: AuthInstance): RawHandler {
  const { config, sessions } = instance;
  const resolveBase = createBaseResolver(config);
  // Per instance, cleared after the one warning: a single boolean test on every request until then.
  let warnNoClientIp = config.production && config.rateLimit?.needsClientAddress === true;
  return async function respond(incoming: Incoming, info?: RequestInfo): Promise<Outgoing> {
    let ctx: RouteContext | undefined;
    if (warnNoClientIp && info?.clientAddress === undefined) {
      warnNoClientIp = false;
      config.logger.warn('RATE_LIMIT_NO_CLIENT_IP', { message: NO_CLIENT_IP_MESSAGE });
    }
    try {
      if (incoming.pathname.length + incoming.search.length > MAX_URL_LENGTH) throw new BadRequestError('Error: The request URL is too long.', 414);
      const url = resolveBase(incoming);
      const path = incoming.pathname;
      if (path !== url.path && !path.startsWith(`${url.path}/`)) {
        return text(404, 'Error: Not found.');
      }
      const segments = path
        .slice(url.path.length + 1)
        .split('/')
        .filter(Boolean);
      const method = incoming.method;
      const action = segments[0] ?? '';
      const table = method === 'GET' || method === 'POST' ? ROUTES[method] : undefined;
      const route = table && Object.prototype.hasOwnProperty.call(table, action) ? table[action] : undefined;
      if (!route || segments.length > 2) throw new BadRequestError(`Error: This action with HTTP ${method} is not supported.`);

      let request: Request | undefined;
      const query = incoming.search ? parseFields(incoming.search) : NO_FIELDS;
      const body = method === 'POST' ? await readBody(incoming) : NO_FIELDS;
      ctx = {
        config,
        sessions,
        url,
        method: method as 'GET' | 'POST',
        action,
        providerId: segments[1] === undefined ? undefined : safeDecode(segments[1]),
        query: query.fields,
        body: body.fields,
        requestCookies: parseCookies(incoming.header('cookie')),
        cookieNames: cookieNamesFor(config, url.base.startsWith('https://')),
        // Built only if user code asks for it: most requests never need a Fetch Request.
        get request() {
          return (request ??= incoming.request());
        },
        header: (name: string) => incoming.header(name),
        clientAddress: info?.clientAddress,
        outCookies: [],
        memo: new Map(),
      };
      // Refused before any route reads a field (ctx exists so the answer can be JSON or the page).
      if (method === 'POST' && isCrossSite(incoming.header('sec-fetch-site'), incoming.header('origin'), url.origin) && !isFormPostCallback(ctx)) {
        throw new CrossSiteRequestError(incoming.header('origin') ?? incoming.header('sec-fetch-site') ?? undefined);
      }
      const duplicate = query.duplicate ?? body.duplicate;
      if (duplicate !== undefined) throw new DuplicateFieldError(duplicate);
      return toOutgoing(ctx, await route(ctx));
    } catch (thrown) {
      const error = asOutage(thrown);
      if (ctx) await reportSignInFailure(ctx, error);
      return errorResponse(config, ctx, error);
    }
  };
}

/**
 * A store outage reaches here bare (a session read) or wrapped by a flow (OAuthCreateAccount,
 * Callback, EmailSignin around the driver's error): either way it answers as ServiceUnavailable.
 */
function asOutage(error: unknown): unknown {
  if (error instanceof ServiceUnavailableError || error instanceof BadRequestError) return error;
  const cause = isAuthError(error) ? error.cause : error;
  return isUnavailable(cause) ? new ServiceUnavailableError(cause) : error;
}

/** The provider's `response_mode=form_post` callback: the IdP's page posts it cross-site by design, and it answers with the same-site re-post page. */
function isFormPostCallback(ctx: RouteContext): boolean {
  if (ctx.action !== 'callback' || ctx.providerId === undefined) return false;
  const provider = ctx.config.providerById.get(ctx.providerId);
  return (provider?.type === 'oauth' || provider?.type === 'oidc') && provider.spec.responseMode === 'form_post';
}

/**
 * The configured URL wins and request headers never change it: Host and X-Forwarded-Host are the client's to choose (RFC 9110 §7.2). Without one, the
 * request's host is used only when trusted; loopback is trusted so a first local run works.
 */
function createBaseResolver(config: ResolvedConfig): (incoming: Incoming) => BaseUrl {
  if (config.url) {
    const fixed = config.url;
    return () => fixed;
  }
  // Per-instance cache: the BaseUrl of a host is computed once, and the set stays small.
  const cache = new Map<string, BaseUrl>();
  return (incoming) => {
    const forwardedHost = config.trustHost || config.allowedHosts ? incoming.header('x-forwarded-host') : null;
    const host = (forwardedHost?.split(',')[0]?.trim() || incoming.header('host') || '').toLowerCase();
    const protocol = requestProtocol(config, incoming);
    const key = `${protocol}://${host}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const trusted = isValidHost(host) && (config.allowedHosts ? config.allowedHosts.has(host) : config.trustHost || isLoopbackHost(host));
    // The header is not echoed: it is attacker-controlled and may be anything.
    if (!trusted) throw new BadRequestError('Error: Untrusted host. Set NEXTAUTH_URL (or `url`), `trustHost` or `allowedHosts`.');
    const origin = `${protocol}://${host}`;
    const base: BaseUrl = Object.freeze({ origin, path: config.basePath, base: origin + config.basePath });
    if (cache.size < MAX_HOSTS_CACHED) cache.set(key, base);
    return base;
  };
}

const NO_FIELDS: { fields: Record<string, string>; duplicate: undefined } = Object.freeze({ fields: Object.freeze({}), duplicate: undefined });

/** The body's fields and the first key it repeats: a form, or a JSON object (whose repeated keys JSON.parse would hide). */
async function readBody(incoming: Incoming): Promise<{ fields: Record<string, unknown>; duplicate: string | undefined }> {
  const length = Number(incoming.header('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new BadRequestError('Error: The request body is too large.', 413);
  const type = (incoming.header('content-type') ?? '').toLowerCase();
  let raw: string;
  try {
    raw = await incoming.text();
  } catch (error) {
    throw error instanceof BadRequestError ? error : new BadRequestError('Error: The request body could not be read.');
  }
  if (raw.length > MAX_BODY_BYTES) throw new BadRequestError('Error: The request body is too large.', 413);
  if (raw === '') return NO_FIELDS;
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new BadRequestError('Error: The request body is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequestError('Error: The request body must be a JSON object.');
    return { fields: parsed as Record<string, unknown>, duplicate: duplicateJsonKey(raw) };
  }
  // Forms, and bodies without a type (as some clients send): URL-encoded.
  return parseFields(raw);
}

/**
 * Whether a redirect is answered as `{ url }`: v4's client posts `json=true` (compared with the
 * string, so `{"json": true}` in a JSON body does not switch it on); Auth.js v5's client sends the
 * header `X-Auth-Return-Redirect: 1` instead, which @auth/core honours by its presence.
 */
function isJsonMode(ctx: RouteContext): boolean {
  return ctx.body.json === 'true' || (ctx.method === 'POST' && ctx.header('x-auth-return-redirect') !== null);
}

const JSON_TYPE = 'application/json';

function toOutgoing(ctx: RouteContext, result: RouteResult): Outgoing {
  const headers: Array<[string, string]> = [];
  if (result.headers) for (const name in result.headers) headers.push([name, result.headers[name]!]);
  for (const cookie of ctx.outCookies) headers.push(['Set-Cookie', serializeCookie(cookie)]);
  if (result.cookies) for (const cookie of result.cookies) headers.push(['Set-Cookie', serializeCookie(cookie)]);
  const status = result.status ?? 200;
  if (result.redirect !== undefined) {
    if (isJsonMode(ctx)) {
      headers.push(['Content-Type', JSON_TYPE]);
      return { status, headers, body: JSON.stringify({ url: absolute(ctx, result.redirect) }) };
    }
    headers.push(['Location', result.redirect]);
    return { status: 302, headers, body: null };
  }
  if (result.html !== undefined) {
    headers.push(['Content-Type', 'text/html; charset=utf-8']);
    // RFC 9110 §12.5.5: a page worded by Accept-Language says so, for any cache between (a route's own Vary is kept).
    if (variesByLanguage(ctx)) {
      const own = headers.findIndex(([name]) => name.toLowerCase() === 'vary');
      if (own < 0) headers.push(['Vary', 'Accept-Language']);
      else if (!/accept-language|\*/i.test(headers[own]![1])) headers[own] = [headers[own]![0], `${headers[own]![1]}, Accept-Language`];
    }
    addPageSecurityHeaders(headers, result.html, formTargets(ctx, result.formTargets));
    return { status, headers, body: result.html };
  }
  if (result.text !== undefined) {
    headers.push(['Content-Type', 'text/plain; charset=utf-8']);
    return { status, headers, body: result.text };
  }
  headers.push(['Content-Type', JSON_TYPE]);
  const body = result.jsonText ?? (result.json === undefined ? null : JSON.stringify(result.json));
  return { status, headers, body };
}

function pageInput(ctx: RouteContext): ErrorPageInput {
  return { base: ctx.url.base, origin: ctx.url.origin, theme: ctx.config.theme, text: pageText(ctx) };
}

function text(status: number, body: string): Outgoing {
  return { status, headers: [['Content-Type', 'text/plain; charset=utf-8']], body };
}

/**
 * What a failure is logged as: next-auth v4's code and metadata shape where v4 logs one (`log` in
 * `ERRORS`: custom loggers and error trackers key on them, e.g. `SIGNIN_EMAIL_ERROR` with
 * `{ error, providerId }`), gatehouse's error code for the failures v4 did not log.
 */
function logEntry(ctx: RouteContext, error: AuthError, log: V4Log | undefined): [code: string, metadata: unknown] {
  const providerId = ctx.providerId;
  if (log?.kind === 'provider') return [log.code, { error: error.cause, providerId }];
  if (log?.kind === 'callback') {
    const type = providerId === undefined ? undefined : ctx.config.providerById.get(providerId)?.type;
    if (type === 'email') return [log.email, error.cause];
    if (type === 'oauth' || type === 'oidc') return [log.oauth, error.cause];
  }
  return [error.code, error.cause === undefined ? undefined : { error: error.cause, provider: error.provider }];
}

/** A 500 whose cause stays in the log: the error page on GET page routes, v4's JSON body elsewhere. */
function serverError(ctx: RouteContext): Outgoing {
  if (ctx.method === 'GET' && PAGE_ACTIONS.has(ctx.action)) {
    return toOutgoing(ctx, { status: 500, html: renderErrorPage(pageInput(ctx), 'Configuration').html });
  }
  return toOutgoing(ctx, { status: 500, json: CONFIG_ERROR_BODY });
}

const UNAVAILABLE_BODY = { message: 'The service is unavailable for a moment. Try again shortly.' };

/**
 * A 503 with `Retry-After`. JSON routes (GET `session`, the sessions API) answer JSON; pages and
 * sign-in POSTs go to the error URL with the code (with json=true / X-Auth-Return-Redirect,
 * `{ url }` carrying it, as for every sign-in error), whose page answers 503 too.
 */
function unavailableAnswer(ctx: RouteContext): Outgoing {
  const headers = { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) };
  if (!PAGE_ACTIONS.has(ctx.action)) return toOutgoing(ctx, { status: 503, headers, json: UNAVAILABLE_BODY });
  return toOutgoing(ctx, { status: 503, headers, redirect: errorUrl(ctx, 'ServiceUnavailable') });
}

/** A refused CSRF token: back to the form it came from, except on the JSON-only routes. */
function csrfRefusal(ctx: RouteContext): Outgoing {
  if (ctx.action === 'session') return toOutgoing(ctx, { status: 400, json: {} });
  // The sessions API is JSON-only: a refused POST is a 403, not a redirect to a page.
  if (ctx.action === 'sessions' || ctx.action === 'two-factor' || ctx.action === 'reauthenticate') return toOutgoing(ctx, { status: 403, json: {} });
  if (ctx.action === 'signout') return toOutgoing(ctx, { status: 403, redirect: `${ctx.url.base}/signout?csrf=true` });
  return toOutgoing(ctx, { status: 403, redirect: `${ctx.url.base}/signin?csrf=true&error=MissingCSRF` });
}

/** Routes that answer JSON whatever the request (the rest are pages or redirects). */
function answersJson(ctx: RouteContext): boolean {
  return isJsonMode(ctx) || (ctx.header('content-type') ?? '').toLowerCase().includes('application/json') || !PAGE_ACTIONS.has(ctx.action);
}

/** A request refused as a whole: the code's status with the error page, or `{ error, message, url }` (clients read `url`'s `error`, as for any failure). */
function refusal(ctx: RouteContext, code: ErrorCode): Outgoing {
  const page = renderErrorPage(pageInput(ctx), code);
  if (!answersJson(ctx)) return toOutgoing(ctx, { status: page.status, html: page.html });
  return toOutgoing(ctx, { status: page.status, json: { error: code, message: errorView(pageText(ctx), code).message, url: errorUrl(ctx, code) } });
}

/** The one place errors become responses, each as its code's entry in `ERRORS` says. Causes are logged (redacted), never sent. */
function errorResponse(config: ResolvedConfig, ctx: RouteContext | undefined, error: unknown): Outgoing {
  if (error instanceof BadRequestError) return text(error.status, error.message);
  if (!ctx) {
    config.logger.error('HANDLER_ERROR', error);
    return { status: 500, headers: [['Content-Type', JSON_TYPE]], body: JSON.stringify(CONFIG_ERROR_BODY) };
  }
  if (!isAuthError(error)) {
    // On the session routes under v4's codes (SESSION_ERROR: the adapter failed; JWT_SESSION_ERROR:
    // a callback did), though gatehouse answers 500 where v4 answered "signed out".
    if (ctx.action === 'session') config.logger.error(ctx.sessions.kind === 'database' ? 'SESSION_ERROR' : 'JWT_SESSION_ERROR', error);
    else config.logger.error('UNHANDLED_ERROR', { action: ctx.action, error });
    return serverError(ctx);
  }
  const rule = ERRORS[error.code];
  const [logCode, metadata] = logEntry(ctx, error, rule.log);
  config.logger[rule.level](logCode, metadata);
  switch (rule.answer) {
    case 'refuse':
      return refusal(ctx, error.code);
    case 'csrf':
      return csrfRefusal(ctx);
    case 'server-error':
      return serverError(ctx);
    case 'unavailable':
      return unavailableAnswer(ctx);
    case 'redirect': {
      const result: RouteResult = { status: rule.status, redirect: errorUrl(ctx, error.reported ?? error.code, error.provider, error.detail) };
      if (error instanceof RateLimitedError) result.headers = { 'Retry-After': String(error.retryAfter) };
      if (error instanceof AccountLockedError) result.headers = { 'Retry-After': String(error.retryAfter) };
      return toOutgoing(ctx, result);
    }
  }
}
