// gatehouse/next: next-auth v4's `NextAuth(options)` and `getServerSession` for the Pages and App Routers, over the Web handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAuth, type Auth } from '../index.js';
import type { AuthConfig, Session } from '../types.js';
import { sendWebResponse, toWebRequest } from './node.js';

export type * from '../types.js';
/** v4's names for the same types, so `import type { NextAuthOptions } from 'next-auth'` keeps compiling. */
export type {
  AuthConfig as NextAuthOptions,
  AuthConfig as AuthOptions,
  Session as DefaultSession,
  User as DefaultUser,
  Pages as PagesOptions,
  EventsOptions as EventCallbacks,
} from '../types.js';
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
  if (!options || typeof options !== 'object') throw new TypeError('gatehouse/next: pass the options object, e.g. NextAuth(authOptions).');
  let auth = instances.get(options);
  if (!auth) {
    auth = createAuth(options);
    instances.set(options, auth);
  }
  return auth;
}

function authPath(auth: Auth): string {
  return auth.config.url?.path ?? auth.config.basePath;
}

/**
 * v4 takes the action from the catch-all segments, not from the URL, so the route file's place
 * decides what reaches the handler while NEXTAUTH_URL's path shapes the URLs it writes. The
 * request is re-addressed to `<auth path>/<segments>` with the same query (minus `nextauth`).
 */
async function readdress(request: Request, segments: string[] | string | undefined, path: string): Promise<Request> {
  if (segments === undefined) return request;
  const url = new URL(request.url);
  url.pathname = [path, ...(Array.isArray(segments) ? segments : [segments]).map(encodeURIComponent)].join('/');
  url.searchParams.delete('nextauth');
  if (url.href === request.url) return request;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(url, { method: request.method, headers: request.headers, ...(hasBody ? { body: await request.text() } : {}) });
}

async function pagesRoute(options: AuthConfig, req: NextApiRequestLike, res: ServerResponse): Promise<void> {
  const auth = authFor(options);
  try {
    const request = await toWebRequest(req);
    if (request === 'too-large') {
      res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Error: The request body is too large.');
      return;
    }
    await sendWebResponse(await auth.handler(await readdress(request, req.query?.nextauth, authPath(auth))), res);
  } catch (error) {
    auth.config.logger.error('NEXT_ADAPTER_ERROR', error);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Error: Internal error.');
  }
}

async function appRoute(options: AuthConfig, request: Request, context: RouteContextLike): Promise<Response> {
  const auth = authFor(options);
  const params = await context.params;
  return auth.handler(await readdress(request, params?.nextauth, authPath(auth)));
}

function isRouteContext(value: unknown): value is RouteContextLike {
  return typeof value === 'object' && value !== null && 'params' in value;
}

/**
 * `export default NextAuth(authOptions)` in `pages/api/auth/[...nextauth].ts`, or
 * `const handler = NextAuth(authOptions); export { handler as GET, handler as POST }` in
 * `app/api/auth/[...nextauth]/route.ts`. v4's three-argument form (`NextAuth(req, res, options)`)
 * works too, for apps that wrap the handler.
 */
export default function NextAuth(options: AuthConfig): NextAuthHandler;
export default function NextAuth(req: NextApiRequestLike, res: ServerResponse, options: AuthConfig): Promise<void>;
export default function NextAuth(request: Request, context: RouteContextLike, options: AuthConfig): Promise<Response>;
export default function NextAuth(...args: [AuthConfig] | [NextApiRequestLike | Request, ServerResponse | RouteContextLike, AuthConfig]): NextAuthHandler | Promise<void> | Promise<Response> {
  if (args.length === 1) {
    const [options] = args;
    return ((req: NextApiRequestLike | Request, second: ServerResponse | RouteContextLike) =>
      isRouteContext(second) ? appRoute(options, req as Request, second) : pagesRoute(options, req as NextApiRequestLike, second as ServerResponse)) as NextAuthHandler;
  }
  const [req, second, options] = args;
  return isRouteContext(second) ? appRoute(options, req as Request, second) : pagesRoute(options, req as NextApiRequestLike, second as ServerResponse);
}

/** What `getServerSideProps` and API routes hand over: Node's request and response. */
type ServerRequest = IncomingMessage | { headers: Record<string, string | string[] | undefined> };
type ServerResponseLike = Pick<ServerResponse, 'getHeader' | 'setHeader'>;

/** The shape of `next/headers` this module relies on; typed here so `next` stays a peer, not a dependency. */
interface NextHeadersModule {
  cookies(): Promise<{ getAll(): Array<{ name: string; value: string }> }>;
}

function headersOf(req: ServerRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    try {
      headers.set(name, Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value);
    } catch {
      // A header value Fetch refuses is left out; the session needs only the cookie and host.
    }
  }
  return headers;
}

/** Appends Set-Cookie lines to whatever the page already set (v4 appends too). */
function appendCookies(res: ServerResponseLike, cookies: string[]): void {
  if (cookies.length === 0) return;
  const existing = res.getHeader('set-cookie');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...before, ...cookies]);
}

/**
 * The session as GET `session` answers it, cookies included (a JWT session rolls forward, as in
 * v4). A non-200 answer throws, so a broken configuration never reads as "signed out" (fails closed).
 */
async function pagesSession(auth: Auth, req: ServerRequest, res: ServerResponseLike): Promise<Session | null> {
  const headers = headersOf(req);
  const origin = auth.config.url?.origin ?? `${(req as { socket?: { encrypted?: boolean } }).socket?.encrypted ? 'https' : 'http'}://${headers.get('host') ?? '127.0.0.1'}`;
  for (const name of ['content-length', 'content-type', 'transfer-encoding']) headers.delete(name);
  const response = await auth.handler(new Request(`${origin}${authPath(auth)}/session`, { headers }));
  appendCookies(res, response.headers.getSetCookie());
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(typeof body.message === 'string' ? body.message : `gatehouse: the session route answered ${response.status}.`);
  return Object.keys(body).length > 0 ? (body as Session) : null;
}

/**
 * In server components the response cookies cannot be written, so the session is read without
 * rolling it, and `expires` is left out as v4 leaves it out there. Misconfiguration throws.
 */
async function componentSession(auth: Auth): Promise<Session | null> {
  // A literal specifier so Next's bundler resolves it; cast so TypeScript does not need next's types.
  const { cookies } = (await import('next/headers' as string)) as NextHeadersModule;
  const cookie = (await cookies())
    .getAll()
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  const session = await auth.getSession(new Headers({ cookie }));
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
  if (args.length === 1) return componentSession(authFor(args[0]));
  const [req, res, options] = args;
  return pagesSession(authFor(options), req, res);
}

/** v4's deprecated alias. */
export const unstable_getServerSession = getServerSession;
