// gatehouse-auth/next/middleware: next-auth v4's `withAuth` and default middleware (JWT sessions), on the Edge and Node.js runtimes.
import { parseCookies, readChunked } from '../core/cookies.js';
import { decryptToken, deriveKeys, secretList } from '../core/jwt.js';
import { parseBaseUrl } from '../core/url.js';
import type { Awaitable, JWT, JWTDecodeParams } from '../types.js';

/** The parts of Next's `NextRequest` used here; typed structurally so `next` stays a peer. */
export interface NextRequestLike extends Request {
  nextUrl?: { pathname: string; search: string; origin: string; basePath: string };
}

/** The request a wrapped middleware sees: `req.nextauth.token` is the decoded session token. */
export type NextRequestWithAuth<R extends NextRequestLike = NextRequestLike> = R & { nextauth: { token: JWT | null } };

/** What a Next middleware may return: a response, or nothing to let the request through. */
export type NextMiddlewareResult = Response | null | undefined | void;

export type NextMiddlewareWithAuth = (request: NextRequestWithAuth, event: unknown) => Awaitable<NextMiddlewareResult>;

export interface NextAuthMiddlewareOptions {
  /** Where unauthorized visitors go (default `/api/auth/signin`) and where a missing secret is reported. */
  pages?: { signIn?: string; error?: string };
  /** Only the session cookie's name is read, as in v4. */
  cookies?: { sessionToken?: { name?: string } };
  jwt?: { decode?: (params: JWTDecodeParams) => Awaitable<JWT | null> };
  callbacks?: {
    /** Defaults to "there is a token". */
    authorized?: (params: { token: JWT | null; req: NextRequestLike }) => Awaitable<boolean | null | undefined>;
  };
  /** Defaults to NEXTAUTH_SECRET, then AUTH_SECRET (v4's order). Several: any of them opens a token (rotation). */
  secret?: string | string[];
}

/** Next always sends these through: its own assets and the favicon. */
const PUBLIC_PATHS = ['/_next', '/favicon.ico'];

function authPath(): string {
  const configured = process.env.NEXTAUTH_URL ?? process.env.AUTH_URL;
  try {
    return parseBaseUrl(configured ?? 'http://localhost/api/auth').path;
  } catch {
    return '/api/auth';
  }
}

/**
 * The session token of the request as v4's getToken finds it: the (possibly chunked) cookie, else
 * `Authorization: Bearer <URL-encoded JWE>`; anything malformed is no token (GHSA-xmf8).
 */
function rawToken(req: Request, cookieName: string | undefined): string | undefined {
  const secure = (process.env.NEXTAUTH_URL ?? process.env.AUTH_URL ?? '').startsWith('https://');
  const name = cookieName ?? `${secure ? '__Secure-' : ''}next-auth.session-token`;
  const fromCookie = readChunked(parseCookies(req.headers.get('cookie')), name).value;
  if (fromCookie) return fromCookie;
  const authorization = req.headers.get('authorization');
  const match = authorization && authorization.length < 64 * 1024 ? /^Bearer (\S+)$/.exec(authorization) : null;
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

async function readToken(req: Request, secret: string | string[], options: NextAuthMiddlewareOptions | undefined): Promise<JWT | null> {
  const token = rawToken(req, options?.cookies?.sessionToken?.name);
  if (!token) return null;
  const decode = options?.jwt?.decode;
  try {
    if (decode) return (await decode({ token, secret })) ?? null;
  } catch {
    return null;
  }
  // The core's own JWE module, on Web Crypto, which Next's Edge runtime has (it has no node:crypto):
  // the same pins (`dir` + `A256GCM` only) and v4's 15 s clock tolerance as GET `session`.
  return decryptToken(token, deriveKeys(secretList(secret)));
}

/** Next's own redirect answer is a 307; headers stay mutable because Next rewrites them afterwards. */
function redirect(url: URL): Response {
  return new Response(null, { status: 307, headers: { Location: url.href } });
}

async function handle(req: NextRequestLike, options: NextAuthMiddlewareOptions | undefined, onSuccess?: (token: JWT | null) => Awaitable<NextMiddlewareResult>): Promise<NextMiddlewareResult> {
  const url = new URL(req.url);
  const { pathname, search, origin, basePath } = req.nextUrl ?? { pathname: url.pathname, search: url.search, origin: url.origin, basePath: '' };
  const signInPage = options?.pages?.signIn ?? '/api/auth/signin';
  const errorPage = options?.pages?.error ?? '/api/auth/error';
  if (`${basePath}${pathname}`.startsWith(authPath()) || pathname === signInPage || pathname === errorPage || PUBLIC_PATHS.some((p) => pathname.startsWith(p))) {
    return undefined;
  }
  const secret = options?.secret ?? process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret || secret.length === 0) {
    console.error('[gatehouse][error][NO_SECRET] withAuth needs `secret` or NEXTAUTH_SECRET / AUTH_SECRET.');
    const errorUrl = new URL(`${basePath}${errorPage}`, origin);
    errorUrl.searchParams.append('error', 'Configuration');
    return redirect(errorUrl);
  }
  const token = await readToken(req, secret, options);
  const authorized = (await options?.callbacks?.authorized?.({ req, token })) ?? !!token;
  if (authorized) return onSuccess?.(token);
  const signInUrl = new URL(`${basePath}${signInPage}`, origin);
  // Relative, as v4 sends it: the sign-in page resolves it against the site.
  signInUrl.searchParams.append('callbackUrl', `${basePath}${pathname}${search}`);
  return redirect(signInUrl);
}

/**
 * As in v4:
 * - `export { default } from 'gatehouse-auth/next/middleware'` protects every matched path;
 * - `export default withAuth({ callbacks: { authorized: ({ token }) => token?.role === 'admin' } })`;
 * - `export default withAuth(function middleware(req) { req.nextauth.token … }, options)`.
 * Runs on Next's Edge runtime (`middleware.ts`) and its Node.js runtime (`proxy.ts` in Next 16).
 */
export function withAuth(req: NextRequestLike, event?: unknown): Promise<NextMiddlewareResult>;
export function withAuth(middleware: NextMiddlewareWithAuth, options?: NextAuthMiddlewareOptions): (req: NextRequestLike, event?: unknown) => Promise<NextMiddlewareResult>;
export function withAuth(options: NextAuthMiddlewareOptions): (req: NextRequestLike, event?: unknown) => Promise<NextMiddlewareResult>;
export function withAuth(
  first: NextRequestLike | NextMiddlewareWithAuth | NextAuthMiddlewareOptions,
  second?: unknown,
): Promise<NextMiddlewareResult> | ((req: NextRequestLike, event?: unknown) => Promise<NextMiddlewareResult>) {
  if (first instanceof Request) return handle(first, undefined);
  if (typeof first === 'function') {
    const middleware = first;
    const options = second as NextAuthMiddlewareOptions | undefined;
    return (req, event) =>
      handle(req, options, (token) => {
        // v4 hands the token to the wrapped middleware on the request itself.
        const withToken = Object.assign(req, { nextauth: { token } });
        return middleware(withToken, event);
      });
  }
  const options = first;
  return (req) => handle(req, options);
}

export default withAuth;
