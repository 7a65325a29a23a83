// gatehouse-auth/next: next-auth v4's `NextAuth(options)` and `getServerSession` for the Pages and App Routers, over the Web handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { incomingFromRequest, toWebResponse, type Incoming } from '../incoming.js';
import { createAuth, type Auth } from '../index.js';
import type { AuthConfig, Session } from '../types.js';
import { nextAuthV5, type NextAuthConfigInput, type NextAuthResult } from './next-v5.js';
import { nextHeaders, pagesSession, type ServerRequest, type ServerResponseLike } from './next-shared.js';
import { incomingFromNode, sendOutgoing } from './node.js';

export type * from '../types.js';
export { CredentialsSignin } from '../credentials-signin.js';
/** next-auth v5 exports `AuthError`: what a failed server-side `signIn` throws (`error.type` is the code). */
export { AuthError } from '../errors.js';
export type { NextAuthConfig, NextAuthConfigInput, NextAuthFunction, NextAuthRequest, NextAuthResult, ProviderEnvOptions, SignInOptions } from './next-v5.js';
/** v4's names for the same types, so `import type { NextAuthOptions } from 'next-auth'` keeps compiling. */
export type { AuthConfig as NextAuthOptions, AuthConfig as AuthOptions, Session as DefaultSession, User as DefaultUser, Pages as PagesOptions, EventsOptions as EventCallbacks } from '../types.js';
export type SessionStrategy = 'jwt' | 'database';
export type ISODateString = string;

/** A Pages Router API request: Next has parsed `body` and puts the catch-all segments in `query.nextauth`. */
export type NextApiRequestLike = IncomingMessage & { body?: unknown; query?: Record<string, string | string[] | undefined> };

/** The App Router's second argument; `params` is a promise since Next 15. */
export interface RouteContextLike {
  params?: Promise<{ nextauth?: string[] | string | undefined }> | { nextauth?: string[] | string | undefined };
}

type PagesHandler = (req: NextApiRequestLike, res: ServerResponse) => Promise<void>;
type AppHandler = (request: Request, context: RouteContextLike) => Promise<Response>;
/** Serves both routers: Next passes `(req, res)` to Pages API routes and `(request, context)` to route handlers. */
export type NextAuthHandler = PagesHandler & AppHandler;

/**
 * One instance per options object, as `createAuth` would give, created on first use rather than
 * at import: `next build` imports route files without the runtime secret, and v4 only checked at
 * request time too. Keyed weakly, so options objects that go away take their instance with them.
 */
const instances = new WeakMap<AuthConfig, Auth>();

function authFor(options: AuthConfig): Auth {
  if (!options || typeof options !== 'object') throw new TypeError('gatehouse-auth/next: pass the options object, e.g. NextAuth(authOptions).');
  let auth = instances.get(options);
  if (!auth) {
    auth = createAuth(options);
    instances.set(options, auth);
  }
  return auth;
}

function authPath(auth: Auth): string {
  return auth.basePath;
}

/**
 * v4 takes the action from the catch-all segments, not from the URL, so the route file's place
 * decides what reaches the handler while NEXTAUTH_URL's path shapes the URLs it writes. The
 * request is re-addressed to `<auth path>/<segments>` with the same query (minus `nextauth`).
 */
function readdress(incoming: Incoming, segments: string[] | string | undefined, path: string): Incoming {
  if (segments === undefined) return incoming;
  const pathname = [path, ...(Array.isArray(segments) ? segments : [segments]).map(encodeURIComponent)].join('/');
  let search = incoming.search;
  if (/(?:^|&)nextauth=/.test(search)) {
    const params = new URLSearchParams(search);
    params.delete('nextauth');
    search = params.toString();
  }
  return { ...incoming, pathname, search };
}

async function pagesRoute(options: AuthConfig, req: NextApiRequestLike, res: ServerResponse): Promise<void> {
  const auth = authFor(options);
  try {
    // Next's body parser has consumed the stream; the node reader re-encodes `req.body` then.
    const incoming = readdress(incomingFromNode(req), req.query?.nextauth, authPath(auth));
    sendOutgoing(await auth.respond(incoming, { clientAddress: req.socket.remoteAddress }), res);
  } catch (error) {
    auth.logger.error('NEXT_ADAPTER_ERROR', error);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Error: Internal error.');
  }
}

async function appRoute(options: AuthConfig, request: Request, context: RouteContextLike): Promise<Response> {
  const auth = authFor(options);
  const params = await context.params;
  // Next's route handlers expose no client address; rate limits use `rateLimit.ipHeader` behind a proxy.
  return toWebResponse(await auth.respond(readdress(incomingFromRequest(request), params?.nextauth, authPath(auth))));
}

function isRouteContext(value: unknown): value is RouteContextLike {
  return typeof value === 'object' && value !== null && 'params' in value;
}

/** What `NextAuth(…)` returns: v4's route handler, which also carries v5's `{ handlers, auth, signIn, signOut, unstable_update }`. */
export type NextAuthInstance = NextAuthHandler & NextAuthResult;

/**
 * Both call forms of next-auth:
 * - v4: `export default NextAuth(authOptions)` in `pages/api/auth/[...nextauth].ts`, or
 *   `const handler = NextAuth(authOptions); export { handler as GET, handler as POST }` in
 *   `app/api/auth/[...nextauth]/route.ts`; and v4's three-argument form (`NextAuth(req, res, options)`)
 *   for apps that wrap the handler. The options are read as v4 reads them.
 * - v5: `export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(config)` in
 *   `auth.ts`, the config an object or a function of the request; read as v5 reads it
 *   (`AUTH_URL`, `AUTH_SECRET` and `AUTH_SECRET_1..3`, `AUTH_TRUST_HOST`, `AUTH_<PROVIDER>_ID`/`_SECRET`).
 * The returned function is v4's handler and carries v5's members, so either use of one call works.
 */
export default function NextAuth(options: AuthConfig | NextAuthConfigInput): NextAuthInstance;
export default function NextAuth(req: NextApiRequestLike, res: ServerResponse, options: AuthConfig): Promise<void>;
export default function NextAuth(request: Request, context: RouteContextLike, options: AuthConfig): Promise<Response>;
export default function NextAuth(...args: [AuthConfig | NextAuthConfigInput] | [NextApiRequestLike | Request, ServerResponse | RouteContextLike, AuthConfig]): NextAuthInstance | Promise<void> | Promise<Response> {
  if (args.length === 1) {
    const [options] = args;
    const v5 = nextAuthV5(options as NextAuthConfigInput);
    // A function of the request is v5's form only: v4 never took one.
    const handler = (
      typeof options === 'function'
        ? (req: NextApiRequestLike | Request) => v5.handlers.GET(req as Request)
        : (req: NextApiRequestLike | Request, second: ServerResponse | RouteContextLike) =>
            isRouteContext(second) ? appRoute(options as AuthConfig, req as Request, second) : pagesRoute(options as AuthConfig, req as NextApiRequestLike, second as ServerResponse)
    ) as NextAuthHandler;
    return Object.assign(handler, v5);
  }
  const [req, second, options] = args;
  return isRouteContext(second) ? appRoute(options, req as Request, second) : pagesRoute(options, req as NextApiRequestLike, second as ServerResponse);
}

/**
 * In server components the response cookies cannot be written, so the session is read without
 * rolling it, and `expires` is left out as v4 leaves it out there. Misconfiguration throws.
 * `cookies()` comes first: while Next prerenders at build time it bails out there, before any
 * instance is created without the runtime environment.
 */
async function componentSession(options: AuthConfig): Promise<Session | null> {
  const { cookies, headers } = await nextHeaders();
  const cookie = (await cookies())
    .getAll()
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  // The proxy's scheme (honoured under trustHost only) decides the cookie names, as on the REST path.
  const proto = (await headers()).get('x-forwarded-proto');
  const session = await authFor(options).getSession(new Headers(proto ? { cookie, 'x-forwarded-proto': proto } : { cookie }));
  if (!session) return null;
  const { expires: _expires, ...rest } = session;
  return rest as Session;
}

/**
 * `getServerSession(req, res, authOptions)` in `getServerSideProps` and API routes, and
 * `getServerSession(authOptions)` in App Router server components and route handlers.
 * The session shaped by the `session` callback, or null when signed out.
 */
export function getServerSession(options: AuthConfig): Promise<Session | null>;
export function getServerSession(req: ServerRequest, res: ServerResponseLike, options: AuthConfig): Promise<Session | null>;
export async function getServerSession(...args: [AuthConfig] | [ServerRequest, ServerResponseLike, AuthConfig]): Promise<Session | null> {
  if (args.length === 1) return componentSession(args[0]);
  const [req, res, options] = args;
  return pagesSession(authFor(options), req, res);
}

/** v4's deprecated alias. */
export const unstable_getServerSession = getServerSession;
