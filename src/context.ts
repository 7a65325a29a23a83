// What a route receives (one request, already parsed), what it returns (a plain result the handler turns into a Response), and the session strategy both use.
import type { CookieSet, ResolvedConfig } from './config.js';
import type { SetCookie } from './core/cookies.js';
import type { Account, AdapterUser, BaseUrl, JWT, Profile, Session, User } from './types.js';
import type { Authentication } from './flows/step-up.js';

/** What createAuth builds: the validated configuration and the session strategy chosen from it, once. */
export interface AuthInstance {
  readonly config: ResolvedConfig;
  /** The strategy createAuth chose (`jwt` or `database`). */
  readonly sessions: SessionStrategy;
}

/** What reading a session needs of a request: a RouteContext fits, and so does a server helper's view of the headers. */
export interface SessionSource extends AuthInstance {
  readonly requestCookies: ReadonlyMap<string, string>;
  readonly cookieNames: CookieSet;
}

export interface SessionRead {
  /** The body of GET `session`: the shaped session, or null for none. */
  session: Session | null;
  cookies: SetCookie[];
  /** The JWT payload (jwt strategy) or stored user (database strategy), for linking and revocation. */
  token?: JWT;
  user?: AdapterUser;
  sessionToken?: string;
  /** The index id of this session: the JWT's `sid`, or derived from the database token (absent for a JWT issued without one). */
  sessionId?: string;
}

export interface ReadOptions {
  /** POST `session`: the client's `update(data)` payload. */
  update?: { data: unknown };
  /** Server helpers read without writing cookies they cannot send. */
  readOnly?: boolean;
  now?: number;
}

/** What a sign-in request tells about the device, as the session index keeps it. */
export interface Device {
  userAgent: string | null;
  ipAddress: string | null;
}

export interface StartSession {
  user: User | AdapterUser;
  account: Account | null;
  profile?: Profile;
  isNewUser: boolean;
  /** The signing-in request's device, for the session index. */
  device?: Device;
  /** When and how the user authenticated (flows/step-up.ts); kept in the JWT or beside the database session. */
  authentication?: Authentication;
}

/**
 * One session strategy, chosen once by createAuth: `flows/session/jwt.ts` (the encrypted cookie)
 * or `flows/session/database.ts` (a stored row and its token). Nothing else branches on it.
 */
export interface SessionStrategy {
  readonly kind: 'jwt' | 'database';
  /**
   * v4's session route (packages/next-auth/src/core/routes/session.ts on branch v4): the session of a request, shaped by the `session` callback, and the cookies to send
   * (a re-issued or cleared cookie). An invalid cookie is no session and is cleared; storage
   * failures propagate (an error status, not a silent sign-out of everyone while the store is down).
   */
  read(source: SessionSource, options?: ReadOptions): Promise<SessionRead>;
  /** After a successful sign-in: the session cookie (and row). */
  start(source: SessionSource, input: StartSession): Promise<SetCookie[]>;
  /**
   * Sign-out: the row deleted (or the JWT revoked), the `signOut` event fired, every chunk of the
   * cookie cleared. When the store could not take the write, `pending` is its error: the write is
   * retried in the background until it lands, this instance refuses the session meanwhile, and the
   * route reports the failure rather than claiming a sign-out that other instances do not see yet.
   */
  end(source: SessionSource): Promise<{ cookies: SetCookie[]; pending?: unknown }>;
  /** The signed-in user as the adapter knows them (for account linking), or null. */
  currentUser(source: SessionSource): Promise<AdapterUser | null>;
  /**
   * After a re-authentication: the request's session records `authentication` (flows/step-up.ts),
   * same session id. JWT: the cookie re-issued with the new claims; database: the record beside
   * the index replaced, no cookie. `expires` is the session's, as a read just found it.
   */
  restamp(source: SessionSource, authentication: Authentication, expires: Date): Promise<SetCookie[]>;
}

export interface RouteContext extends SessionSource {
  readonly url: BaseUrl;
  readonly method: 'GET' | 'POST';
  readonly action: string;
  readonly providerId: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  /** Form or JSON body of a POST; empty for GET. */
  readonly body: Readonly<Record<string, unknown>>;
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
  /** URLs beyond the page's own origin that its forms post or are redirected to, for its CSP `form-action` (`flows/form-targets.ts`). */
  formTargets?: readonly string[];
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
