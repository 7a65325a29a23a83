// gatehouse-auth/next in next-auth v5's call form: `const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(config)`, configured from v5's environment.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookies } from '../core/cookies.js';
import { AuthError, ERRORS, type ErrorCode } from '../errors.js';
import type { Incoming, Outgoing } from '../incoming.js';
import { createAuth, type Auth } from '../index.js';
import type { AuthConfig, Awaitable, CallbacksOptions, Provider, Session } from '../types.js';
import { nextHeaders, pagesSession, sessionAnswer, type NextCookieOptions, type ServerRequest } from './next-shared.js';

/** What v5 hands a provider factory passed uncalled (`providers: [GitHub]`), from `AUTH_<ID>_ID`, `_SECRET`, `_ISSUER`, `_KEY`. */
export interface ProviderEnvOptions {
  clientId?: string;
  clientSecret?: string;
  issuer?: string;
  apiKey?: string;
}

/** The request the middleware and route wrappers see: Next's `NextRequest` (typed structurally, `next` stays a peer). */
export interface NextRequestLike extends Request {
  /** Next's parsed URL (`NextURL`); the plain request URL is used without it. */
  nextUrl?: { pathname: string; href: string; origin: string };
}

/** `req.auth` inside `auth((req) => …)`: the session, or null. */
export type NextAuthRequest<R extends NextRequestLike = NextRequestLike> = R & { auth: Session | null };

/** v5's options object: v4's, with `authorized` among the callbacks and uncalled provider factories allowed. */
export interface NextAuthConfig extends Omit<AuthConfig, 'providers' | 'callbacks'> {
  providers: Array<Provider | ((options: ProviderEnvOptions) => Provider)>;
  callbacks?: CallbacksOptions & {
    /**
     * Middleware and wrapped routes: true lets the request through, false sends it to sign in (not
     * when a wrapped function is given: that function decides), a Response is answered as it is.
     */
    authorized?: (params: { auth: Session | null; request: NextRequestLike }) => Awaitable<boolean | Response | null | undefined>;
  };
}

/** The config, or a function of the request that returns it (called with undefined outside a request, as v5 does). */
export type NextAuthConfigInput = NextAuthConfig | ((request: NextRequestLike | undefined) => Awaitable<NextAuthConfig>);

type RouteHandler = (request: NextRequestLike, context?: unknown) => Promise<Response>;
type WrappedFunction = (request: NextAuthRequest, context: unknown) => Awaitable<Response | null | undefined | void>;

export interface NextAuthFunction {
  /** In server components, route handlers and server actions: the session, or null. Writes no cookies. */
  (): Promise<Session | null>;
  /** `export { auth as middleware }` (or `as proxy`): rolls the session and applies `callbacks.authorized`. */
  (request: NextRequestLike, event?: unknown): Promise<Response>;
  /** `auth((req) => …)` around a middleware or a route handler: `req.auth` is the session. */
  (wrapped: WrappedFunction): RouteHandler;
  /** The Pages Router: `auth(req, res)` or `auth({ req, res })` in getServerSideProps and API routes. */
  (req: ServerRequest, res: ServerResponse): Promise<Session | null>;
  (context: { req: ServerRequest; res: ServerResponse }): Promise<Session | null>;
}

export interface SignInOptions {
  /** Where to land after signing in (default: the Referer, else `/`). */
  redirectTo?: string;
  /** false: return the URL instead of redirecting. */
  redirect?: boolean;
  [field: string]: unknown;
}

export interface NextAuthResult {
  /** `export const { GET, POST } = handlers` in `app/api/auth/[...nextauth]/route.ts`. */
  handlers: { GET: RouteHandler; POST: RouteHandler };
  auth: NextAuthFunction;
  /**
   * Server actions: `await signIn('github', { redirectTo: '/dashboard' })`, or with a form's
   * `FormData` for credentials. Redirects (Next's `redirect`, which throws) unless `redirect: false`,
   * then returns the URL. A failed sign-in throws an `AuthError` whose `type` is the error code.
   */
  signIn(provider?: string, options?: FormData | SignInOptions, authorizationParams?: string[][] | Record<string, string> | string | URLSearchParams): Promise<string>;
  /** Server actions: ends the session; redirects to `redirectTo` (default the Referer, else `/`) unless `redirect: false`. */
  signOut(options?: { redirectTo?: string; redirect?: boolean }): Promise<{ redirect: string }>;
  /** Server actions and route handlers: `useSession().update(data)` on the server; the updated session. */
  unstable_update(data: Partial<Session> | Record<string, unknown>): Promise<Session | null>;
}

type Env = Record<string, string | undefined>;

const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/** v5's `AUTH_<ID>_…` variables for a provider id (`microsoft-entra-id` → `AUTH_MICROSOFT_ENTRA_ID_ID`). */
function providerEnv(id: string, env: Env): ProviderEnvOptions {
  const ID = id.toUpperCase().replace(/-/g, '_');
  const out: ProviderEnvOptions = {};
  for (const [key, suffix] of [
    ['clientId', 'ID'],
    ['clientSecret', 'SECRET'],
    ['issuer', 'ISSUER'],
    ['apiKey', 'KEY'],
  ] as const) {
    const value = env[`AUTH_${ID}_${suffix}`];
    if (value) out[key] = value;
  }
  return out;
}

/**
 * A provider as v5 completes it: a factory is called with its environment (v5 reads the id from
 * a call without options); an OAuth provider without `clientId`/`clientSecret`/`issuer` (here or
 * under `options`) takes them from the environment. Never mutates what it was given.
 */
function withProviderEnv(provider: NextAuthConfig['providers'][number], env: Env): Provider {
  if (typeof provider === 'function') {
    const { id } = provider({});
    return provider(providerEnv(id, env));
  }
  if (provider.type !== 'oauth' && provider.type !== 'oidc') return provider;
  const given = provider as unknown as Record<string, unknown> & { options?: Record<string, unknown> };
  const fromEnv = providerEnv(provider.id, env);
  const filled: Record<string, unknown> = {};
  for (const key of ['clientId', 'clientSecret', 'issuer'] as const) {
    if (fromEnv[key] !== undefined && given[key] === undefined && given.options?.[key] === undefined) filled[key] = fromEnv[key];
  }
  return Object.keys(filled).length === 0 ? provider : ({ ...provider, ...filled } as Provider);
}

/**
 * v5's configuration read as v5 reads it, into gatehouse's options:
 * - the URL: `AUTH_URL` (then `NEXTAUTH_URL`) gives the origin; the base path is `basePath`, else
 *   the URL's path when it has one, else `/api/auth`;
 * - the secret: `secret`, else `AUTH_SECRET` (then `NEXTAUTH_SECRET`), with `AUTH_SECRET_1..3`
 *   after it: the first encrypts, every one decrypts (rotation);
 * - `trustHost`: the option, else `AUTH_TRUST_HOST`, `VERCEL` or `CF_PAGES` (hosts that set the
 *   forwarded headers themselves);
 * - provider credentials from `AUTH_<PROVIDER>_ID` / `_SECRET` / `_ISSUER`.
 */
export function fromV5Config(config: NextAuthConfig, env: Env): AuthConfig {
  if (!config || typeof config !== 'object') throw new TypeError('gatehouse-auth/next: pass the options object (or a function returning it), e.g. NextAuth({ providers: [...] }).');
  const { providers, callbacks, ...rest } = config;
  const out: AuthConfig = { ...rest, providers: Array.isArray(providers) ? providers.map((p) => withProviderEnv(p, env)) : (providers as never) };
  if (callbacks) {
    const { authorized: _authorized, ...v4Callbacks } = callbacks;
    out.callbacks = v4Callbacks;
  }
  const envUrl = env.AUTH_URL || env.NEXTAUTH_URL;
  if (config.url === undefined && envUrl) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(envUrl);
    } catch {
      // Left to createAuth, which names the variable in its TypeError.
    }
    if (parsed) {
      const path = parsed.pathname.replace(/\/+$/, '');
      out.url = `${parsed.origin}${config.basePath ?? (path || '/api/auth')}`;
    }
  }
  if (config.secret === undefined) {
    const secrets = [env.AUTH_SECRET || env.NEXTAUTH_SECRET, env.AUTH_SECRET_1, env.AUTH_SECRET_2, env.AUTH_SECRET_3].filter((s): s is string => !!s);
    if (secrets.length > 0) out.secret = secrets;
  }
  if (config.trustHost === undefined && (truthy(env.AUTH_TRUST_HOST) || !!env.VERCEL || !!env.CF_PAGES)) out.trustHost = true;
  return out;
}

/**
 * One instance per config object, created on first use (`next build` imports auth.ts without the
 * runtime secret). A config function returning a fresh object per request gets a fresh instance
 * each time, as v5 resolves per request; return the same object to keep one.
 */
const instances = new WeakMap<NextAuthConfig, Auth>();

async function resolve(input: NextAuthConfigInput, request: NextRequestLike | undefined): Promise<{ auth: Auth; config: NextAuthConfig }> {
  const config = typeof input === 'function' ? await input(request) : input;
  let auth = instances.get(config);
  if (!auth) {
    auth = createAuth(fromV5Config(config, globalThis.process?.env ?? {}));
    instances.set(config, auth);
  }
  return { auth, config };
}

/** A request the handler answers in-process, built from headers (Next's, or a request's). */
function internal(auth: Auth, method: 'GET' | 'POST', path: string, headers: Headers, body = ''): Incoming {
  const [pathname, search = ''] = `${auth.basePath}/${path}`.split('?') as [string, string?];
  const protocol = auth.url?.base.startsWith('https://') ? 'https' : 'http';
  return {
    method,
    pathname,
    search,
    protocol,
    header: (name) => headers.get(name),
    text: async () => body,
    request: () => new Request(`${auth.url?.origin ?? `${protocol}://${headers.get('host') ?? 'localhost'}`}${pathname}${search ? `?${search}` : ''}`, method === 'POST' ? { method, headers, body } : { headers }),
  };
}

function setCookieLines(out: Outgoing): string[] {
  return out.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value);
}

/** One Set-Cookie line (as gatehouse serializes them) as Next's `cookies().set` arguments. */
function parseSetCookie(line: string): { name: string; value: string; options: NextCookieOptions } {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).trim();
  let value = pair.slice(eq + 1).trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // Kept as sent.
  }
  const options: NextCookieOptions = {};
  for (const attribute of attributes) {
    const [key = '', ...v] = attribute.trim().split('=');
    const val = v.join('=');
    switch (key.toLowerCase()) {
      case 'path':
        options.path = val;
        break;
      case 'domain':
        options.domain = val;
        break;
      case 'expires':
        options.expires = new Date(val);
        break;
      case 'max-age':
        options.maxAge = Number(val);
        break;
      case 'httponly':
        options.httpOnly = true;
        break;
      case 'secure':
        options.secure = true;
        break;
      case 'samesite':
        options.sameSite = val.toLowerCase() as 'lax' | 'strict' | 'none';
        break;
    }
  }
  return { name, value, options };
}

/** The headers of the request a server action or route handler is running for, from `next/headers`. */
async function actionHeaders(): Promise<Headers> {
  return new Headers([...(await (await nextHeaders()).headers())]);
}

/** Writes what the handler answered to the browser, through Next's cookie store (server actions, route handlers). */
async function writeCookies(lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const jar = await (await nextHeaders()).cookies();
  for (const line of lines) {
    const { name, value, options } = parseSetCookie(line);
    jar.set(name, value, options);
  }
}

/**
 * A POST from trusted server code (a server action) through the whole REST path, CSRF included:
 * the CSRF token comes from GET `csrf` in-process, with its cookie, so no check is skipped. Answers
 * in JSON mode (`X-Auth-Return-Redirect: 1`), so a redirect comes back as `{ url }`.
 */
async function post(auth: Auth, path: string, headers: Headers, fields: Record<string, unknown>, json = false): Promise<{ out: Outgoing; url: string | undefined }> {
  const csrf = await auth.respond(internal(auth, 'GET', 'csrf', headers));
  const { csrfToken } = JSON.parse(csrf.body ?? '{}') as { csrfToken?: string };
  const minted = setCookieLines(csrf).map((line) => line.split(';')[0]!);
  const cookie = [...minted, headers.get('cookie')].filter(Boolean).join('; ');
  const postHeaders = new Headers(headers);
  postHeaders.set('cookie', cookie);
  postHeaders.set('x-auth-return-redirect', '1');
  postHeaders.delete('content-length');
  let body: string;
  if (json) {
    postHeaders.set('content-type', 'application/json');
    body = JSON.stringify({ ...fields, csrfToken });
  } else {
    postHeaders.set('content-type', 'application/x-www-form-urlencoded');
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) form.set(key, String(value));
    form.set('csrfToken', csrfToken ?? '');
    body = form.toString();
  }
  const out = await auth.respond(internal(auth, 'POST', path, postHeaders, body));
  let url: string | undefined;
  try {
    url = (JSON.parse(out.body ?? '{}') as { url?: string } | null)?.url;
  } catch {
    // Not a redirect answer.
  }
  return { out, url };
}

/** A refused sign-in as v5 throws it: an AuthError whose `type` is the code from the error URL (and `detail` a credentials code). */
function failure(url: string | undefined, status: number): AuthError {
  const params = url ? new URL(url, 'http://localhost').searchParams : new URLSearchParams();
  const reported = params.get('error') ?? 'Default';
  const known = Object.hasOwn(ERRORS, reported);
  const code = params.get('code');
  return new AuthError((known ? reported : 'AccessDenied') as ErrorCode, {
    message: known ? reported : `${reported} (HTTP ${status})`,
    ...(known ? {} : { reported }),
    ...(code ? { detail: code } : {}),
  });
}

async function redirect(url: string): Promise<never> {
  const { redirect: nextRedirect } = (await import('next/navigation' as string)) as { redirect(url: string): never };
  return nextRedirect(url);
}

async function signIn(input: NextAuthConfigInput, provider: string | undefined, options: FormData | SignInOptions | undefined, authorizationParams: ConstructorParameters<typeof URLSearchParams>[0]): Promise<string> {
  const { auth } = await resolve(input, undefined);
  const headers = await actionHeaders();
  const given: Record<string, unknown> = options instanceof FormData ? Object.fromEntries(options) : { ...(options ?? {}) };
  const { redirect: shouldRedirect = true, redirectTo, ...fields } = given;
  const callbackUrl = (typeof redirectTo === 'string' && redirectTo) || headers.get('referer') || '/';
  const signInPage = `${auth.url?.base ?? auth.basePath}/signin?${new URLSearchParams({ callbackUrl })}`;
  const providers = JSON.parse((await auth.respond(internal(auth, 'GET', 'providers', headers))).body ?? '{}') as Record<string, { type: string }>;
  const found = provider !== undefined && Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  // No provider, or one this app does not have: v5 sends the visitor to the sign-in page.
  if (!found) {
    if (shouldRedirect !== false && shouldRedirect !== 'false') return redirect(signInPage);
    return signInPage;
  }
  const action = found.type === 'credentials' ? 'callback' : 'signin';
  const query = new URLSearchParams(authorizationParams).toString();
  const { out, url } = await post(auth, `${action}/${encodeURIComponent(provider!)}${query ? `?${query}` : ''}`, headers, { ...fields, callbackUrl });
  if (out.status >= 400 || !url) throw failure(url, out.status);
  await writeCookies(setCookieLines(out));
  if (shouldRedirect !== false && shouldRedirect !== 'false') return redirect(url);
  return url;
}

async function signOut(input: NextAuthConfigInput, options: { redirectTo?: string; redirect?: boolean } | undefined): Promise<{ redirect: string }> {
  const { auth } = await resolve(input, undefined);
  const headers = await actionHeaders();
  const callbackUrl = options?.redirectTo || headers.get('referer') || '/';
  const { out, url } = await post(auth, 'signout', headers, { callbackUrl });
  if (out.status >= 400 || !url) throw failure(url, out.status);
  await writeCookies(setCookieLines(out));
  if (options?.redirect ?? true) return redirect(url);
  return { redirect: url };
}

async function update(input: NextAuthConfigInput, data: unknown): Promise<Session | null> {
  const { auth } = await resolve(input, undefined);
  const { out } = await post(auth, 'session', await actionHeaders(), { data }, true);
  const { session, cookies } = sessionAnswer(out);
  await writeCookies(cookies);
  return session;
}

/** `auth()` in server components, route handlers and server actions: a read-only session read (expires included, as v5 answers). */
async function componentSession(input: NextAuthConfigInput): Promise<Session | null> {
  // headers() comes first: while Next prerenders at build time it bails out there, before any
  // instance is created without the runtime environment.
  const headers = await actionHeaders();
  const { auth } = await resolve(input, undefined);
  return auth.getSession(headers);
}

/** Next's "carry on" answer for middleware; a plain 200 where `next/server` is not there (route handlers outside Next). */
async function nextResponse(): Promise<Response> {
  try {
    const { NextResponse } = (await import('next/server' as string)) as { NextResponse: { next(): Response } };
    return NextResponse.next();
  } catch {
    return new Response(null, { headers: { 'x-middleware-next': '1' } });
  }
}

/**
 * The middleware and the `auth(fn)` wrapper, as v5 runs them: the session as GET `session` answers
 * it (rolled forward; a v5 cookie re-issued under gatehouse's name), `callbacks.authorized`, then
 * the wrapped function with `req.auth`, or a redirect to sign in, or Next's "carry on"; the
 * session's cookies are added to whatever answer results.
 */
async function guard(input: NextAuthConfigInput, request: NextRequestLike, context: unknown, wrapped?: WrappedFunction): Promise<Response> {
  const { auth, config } = await resolve(input, request);
  const { session, cookies } = sessionAnswer(await auth.respond(internal(auth, 'GET', 'session', request.headers)));
  const authorized = config.callbacks?.authorized ? await config.callbacks.authorized({ request, auth: session }) : true;
  let response: Response;
  if (authorized instanceof Response) {
    response = authorized;
  } else if (wrapped) {
    const withAuth = Object.assign(request, { auth: session }) as NextAuthRequest;
    response = (await wrapped(withAuth, context)) ?? (await nextResponse());
  } else if (!authorized) {
    const url = new URL((request.nextUrl ?? new URL(request.url)).href);
    // Next's NextURL writes 127.0.0.1 and [::1] as localhost, which the redirect check would then
    // refuse as another site: the configured origin, else the Host the browser sent, names the site.
    const host = request.headers.get('host');
    url.href = `${auth.url?.origin ?? (host ? `${url.protocol}//${host}` : url.origin)}${url.pathname}${url.search}`;
    const signInPath = config.pages?.signIn ?? `${auth.basePath}/signin`;
    if (url.pathname === signInPath) {
      response = await nextResponse();
    } else {
      const target = new URL(signInPath, url.origin);
      // Absolute, as v5 sends it; the sign-in page checks it against the site like any callback URL.
      target.searchParams.set('callbackUrl', url.href);
      response = new Response(null, { status: 307, headers: { Location: target.href } });
    }
  } else {
    response = await nextResponse();
  }
  if (cookies.length === 0) return response;
  // Next's responses may have immutable headers: copy, then add the session's cookies.
  const final = new Response(response.body, response);
  for (const line of cookies) final.headers.append('set-cookie', line);
  return final;
}

function isPagesContext(value: unknown): value is { req: ServerRequest; res: ServerResponse } {
  return typeof value === 'object' && value !== null && 'req' in value && 'res' in value;
}

function authFunction(input: NextAuthConfigInput): NextAuthFunction {
  return ((...args: unknown[]) => {
    if (args.length === 0) return componentSession(input);
    const [first, second] = args;
    if (first instanceof Request) return guard(input, first as NextRequestLike, second);
    if (typeof first === 'function') return (request: NextRequestLike, context?: unknown) => guard(input, request, context, first as WrappedFunction);
    const [req, res] = isPagesContext(first) ? [first.req, first.res] : [first as ServerRequest, second as ServerResponse];
    return resolve(input, undefined).then(({ auth }) => pagesSession(auth, req as IncomingMessage, res));
  }) as NextAuthFunction;
}

/** v5's result object for a config (or a function of the request). */
export function nextAuthV5(input: NextAuthConfigInput): NextAuthResult {
  const handler: RouteHandler = async (request) => (await resolve(input, request)).auth.handler(request);
  return {
    handlers: { GET: handler, POST: handler },
    auth: authFunction(input),
    signIn: (provider, options, authorizationParams) => signIn(input, provider, options, authorizationParams),
    signOut: (options) => signOut(input, options),
    unstable_update: (data) => update(input, data),
  };
}
