// Request in, Response out: finds the base URL and route, runs it, and turns results and errors into responses.
import type { ResolvedConfig } from './config.js';
import { parseCookies, serializeCookie } from './core/cookies.js';
import { isLoopbackHost, isValidHost } from './core/url.js';
import { AuthError, BadRequest, ERROR_RULES, RateLimited } from './errors.js';
import { absolute, errorUrl } from './flows/request-state.js';
import { renderErrorPage } from './pages/error.js';
import { ROUTES } from './routes/index.js';
import type { RouteContext, RouteResult } from './routes/types.js';
import type { BaseUrl } from './types.js';

/** Bodies are small forms; anything larger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_URL_LENGTH = 16 * 1024;
const MAX_HOSTS_CACHED = 64;

const CONFIG_ERROR_BODY = { message: 'There is a problem with the server configuration. Check the server logs for more information.' };

/** Which actions answer HTML; errors there render the error page instead of JSON. */
const PAGE_ACTIONS: ReadonlySet<string> = new Set(['signin', 'signout', 'error', 'verify-request', 'callback']);

/** What an integration knows about the connection that a Web Request does not carry. */
export interface RequestInfo {
  /** The socket's remote address (used for rate limits unless `rateLimit.ipHeader`/`clientIp` says otherwise). */
  clientAddress?: string | undefined;
}

export type Handler = (request: Request, info?: RequestInfo) => Promise<Response>;

export function createHandler(config: ResolvedConfig): Handler {
  const resolveBase = createBaseResolver(config);
  return async function handler(request: Request, info?: RequestInfo): Promise<Response> {
    let ctx: RouteContext | undefined;
    try {
      if (request.url.length > MAX_URL_LENGTH) throw new BadRequest('Error: The request URL is too long.', 414);
      const requestUrl = new URL(request.url);
      const url = resolveBase(request, requestUrl);
      const path = requestUrl.pathname;
      if (path !== url.path && !path.startsWith(`${url.path}/`)) {
        return text(404, 'Error: Not found.');
      }
      const segments = path.slice(url.path.length + 1).split('/').filter(Boolean);
      const method = request.method;
      const action = segments[0] ?? '';
      const table = method === 'GET' || method === 'POST' ? ROUTES[method] : undefined;
      const route = table && Object.prototype.hasOwnProperty.call(table, action) ? table[action] : undefined;
      if (!route || segments.length > 2) throw new BadRequest(`Error: This action with HTTP ${method} is not supported.`);

      const secure = config.useSecureCookies ?? url.base.startsWith('https://');
      ctx = {
        config,
        url,
        method: method as 'GET' | 'POST',
        action,
        providerId: segments[1] === undefined ? undefined : safeDecode(segments[1]),
        query: Object.fromEntries(requestUrl.searchParams),
        body: method === 'POST' ? await readBody(request) : {},
        requestCookies: parseCookies(request.headers.get('cookie')),
        cookieNames: secure ? config.cookies.secure : config.cookies.insecure,
        request,
        clientAddress: info?.clientAddress,
        outCookies: [],
        memo: new Map(),
      };
      return toResponse(ctx, await route(ctx));
    } catch (error) {
      return errorResponse(config, ctx, error);
    }
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The configured URL wins and request headers never change it (advisory 16). Without one, the
 * request's host is used only when trusted; loopback is trusted so a first local run works.
 */
function createBaseResolver(config: ResolvedConfig): (request: Request, requestUrl: URL) => BaseUrl {
  if (config.url) {
    const fixed = config.url;
    return () => fixed;
  }
  // Per-instance cache: the BaseUrl of a host is computed once, and the set stays small.
  const cache = new Map<string, BaseUrl>();
  return (request, requestUrl) => {
    const headers = request.headers;
    const forwardedHost = config.trustHost || config.allowedHosts ? headers.get('x-forwarded-host') : null;
    const host = (forwardedHost?.split(',')[0]?.trim() || headers.get('host') || requestUrl.host).toLowerCase();
    const forwardedProto = config.trustHost ? headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
    const protocol = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : requestUrl.protocol.slice(0, -1);
    const key = `${protocol}://${host}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const trusted = isValidHost(host) && (config.allowedHosts ? config.allowedHosts.has(host) : config.trustHost || isLoopbackHost(host));
    // The header is not echoed: it is attacker-controlled and may be anything.
    if (!trusted) throw new BadRequest('Error: Untrusted host. Set NEXTAUTH_URL (or `url`), `trustHost` or `allowedHosts`.');
    const origin = `${protocol}://${host}`;
    const base: BaseUrl = Object.freeze({ origin, path: config.basePath, base: origin + config.basePath });
    if (cache.size < MAX_HOSTS_CACHED) cache.set(key, base);
    return base;
  };
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new BadRequest('Error: The request body is too large.', 413);
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  let raw: string;
  try {
    raw = await request.text();
  } catch {
    throw new BadRequest('Error: The request body could not be read.');
  }
  if (raw.length > MAX_BODY_BYTES) throw new BadRequest('Error: The request body is too large.', 413);
  if (raw === '') return {};
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new BadRequest('Error: The request body is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequest('Error: The request body must be a JSON object.');
    return parsed as Record<string, unknown>;
  }
  // Forms, and bodies without a type (as some clients send): URL-encoded.
  return Object.fromEntries(new URLSearchParams(raw));
}

function isJsonMode(ctx: RouteContext): boolean {
  // v4 compares with the string "true": `{"json": true}` in a JSON body does not switch it on.
  return ctx.body.json === 'true';
}

function toResponse(ctx: RouteContext, result: RouteResult): Response {
  const headers = new Headers(result.headers);
  for (const cookie of ctx.outCookies) headers.append('Set-Cookie', serializeCookie(cookie));
  for (const cookie of result.cookies ?? []) headers.append('Set-Cookie', serializeCookie(cookie));
  if (result.redirect !== undefined) {
    if (isJsonMode(ctx)) {
      headers.set('Content-Type', 'application/json');
      return new Response(JSON.stringify({ url: absolute(ctx, result.redirect) }), { status: result.status ?? 200, headers });
    }
    headers.set('Location', result.redirect);
    return new Response(null, { status: 302, headers });
  }
  if (result.html !== undefined) {
    headers.set('Content-Type', 'text/html; charset=utf-8');
    return new Response(result.html, { status: result.status ?? 200, headers });
  }
  if (result.text !== undefined) {
    headers.set('Content-Type', 'text/plain; charset=utf-8');
    return new Response(result.text, { status: result.status ?? 200, headers });
  }
  headers.set('Content-Type', 'application/json');
  if (result.jsonText !== undefined) return new Response(result.jsonText, { status: result.status ?? 200, headers });
  return new Response(result.json === undefined ? null : JSON.stringify(result.json), { status: result.status ?? 200, headers });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The one place errors become responses. Causes are logged (redacted), never sent. */
function errorResponse(config: ResolvedConfig, ctx: RouteContext | undefined, error: unknown): Response {
  if (error instanceof BadRequest) return text(error.status, error.message);
  if (!ctx) {
    config.logger.error('HANDLER_ERROR', error);
    return Response.json(CONFIG_ERROR_BODY, { status: 500 });
  }
  if (!(error instanceof AuthError)) {
    config.logger.error('UNHANDLED_ERROR', { action: ctx.action, error });
    if (ctx.method === 'GET' && PAGE_ACTIONS.has(ctx.action)) {
      return toResponse(ctx, { status: 500, html: renderErrorPage(ctx, 'Configuration') });
    }
    return toResponse(ctx, { status: 500, json: CONFIG_ERROR_BODY });
  }
  const rule = ERROR_RULES[error.code];
  config.logger[rule.level](error.code, error.cause === undefined ? undefined : { error: error.cause, provider: error.provider });
  switch (error.code) {
    case 'MissingCSRF':
      if (ctx.action === 'session') return toResponse(ctx, { status: 400, json: {} });
      if (ctx.action === 'signout') return toResponse(ctx, { status: 403, redirect: `${ctx.url.base}/signout?csrf=true` });
      return toResponse(ctx, { status: 403, redirect: `${ctx.url.base}/signin?csrf=true&error=MissingCSRF` });
    case 'Configuration':
      if (ctx.method === 'GET' && PAGE_ACTIONS.has(ctx.action)) {
        return toResponse(ctx, { status: 500, html: renderErrorPage(ctx, 'Configuration') });
      }
      return toResponse(ctx, { status: 500, json: CONFIG_ERROR_BODY });
    default: {
      const result: RouteResult = { status: rule.status, redirect: errorUrl(ctx, error.code, error.provider) };
      if (error instanceof RateLimited) result.headers = { 'Retry-After': String(error.retryAfter) };
      return toResponse(ctx, result);
    }
  }
}
