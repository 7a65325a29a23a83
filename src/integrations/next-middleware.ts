// gatehouse/next/middleware: next-auth v4's `withAuth` and default middleware (JWT sessions), on gatehouse's getToken.
import { parseBaseUrl } from '../core/url.js';
import { getToken } from '../jwt.js';
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
  /** Defaults to NEXTAUTH_SECRET, then AUTH_SECRET (v4's order). */
  secret?: string;
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
  if (!secret) {
    console.error('[gatehouse][error][NO_SECRET] withAuth needs `secret` or NEXTAUTH_SECRET / AUTH_SECRET.');
    const errorUrl = new URL(`${basePath}${errorPage}`, origin);
    errorUrl.searchParams.append('error', 'Configuration');
    return redirect(errorUrl);
  }
  const decode = options?.jwt?.decode;
  const token = await getToken({
    req,
    secret,
    ...(options?.cookies?.sessionToken?.name ? { cookieName: options.cookies.sessionToken.name } : {}),
    ...(decode ? { decode: async (params: JWTDecodeParams) => decode(params) } : {}),
  });
  const authorized = (await options?.callbacks?.authorized?.({ req, token })) ?? !!token;
  if (authorized) return onSuccess?.(token);
  const signInUrl = new URL(`${basePath}${signInPage}`, origin);
  // Relative, as v4 sends it: the sign-in page resolves it against the site.
  signInUrl.searchParams.append('callbackUrl', `${basePath}${pathname}${search}`);
  return redirect(signInUrl);
}

/**
 * As in v4:
 * - `export { default } from 'gatehouse/next/middleware'` protects every matched path;
 * - `export default withAuth({ callbacks: { authorized: ({ token }) => token?.role === 'admin' } })`;
 * - `export default withAuth(function middleware(req) { req.nextauth.token … }, options)`.
 * Runs where Node's crypto is available: Next's Node.js middleware runtime (`proxy.ts` in Next 16,
 * `runtime: 'nodejs'` in Next 15.5+), since gatehouse's token decryption is node:crypto.
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
