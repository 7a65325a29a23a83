// gatehouse: createAuth(config) → the NextAuth REST API as a Web `Request` → `Response` handler, plus server helpers.
import { resolveConfig, type ResolvedConfig } from './config.js';
import type { AuthInstance } from './context.js';
import { createLogger, type Logger } from './core/logger.js';
import { isAuthMethod, satisfiesFactors, type AuthMethod, type FactorRequirement } from './core/amr.js';
import { sessionStrategyOf } from './flows/session/index.js';
import { listSessions, revokeOtherSessions, revokeSession, revokeUserSessions, signedInCaller, sourceFromHeaders, type SessionInfo } from './flows/session-admin.js';
import type { SessionInput } from './flows/cookie-scheme.js';
import { createRawHandler, type RawHandler, type RequestInfo } from './handler.js';
import { incomingFromRequest, toWebResponse } from './incoming.js';
import { INSTANCE } from './instance.js';
import type { AuthConfig, BaseUrl, LoggerInstance, Session } from './types.js';

export type * from './types.js';
export { AuthError } from './errors.js';
export { CredentialsSignin } from './credentials-signin.js';
export type { SessionInfo } from './flows/session-admin.js';
export type { SessionInput } from './flows/cookie-scheme.js';
export type { AuthErrorOptions, ErrorCode, PasswordErrorCode } from './errors.js';
export type { MessageKey, Messages, MessageValue } from './locales/index.js';
/** The English catalogue: every message key (`Messages`), for apps that build a locale of their own. */
export { en as englishMessages } from './locales/en.js';
export type { RawHandler, RequestInfo } from './handler.js';
export type { Incoming, Outgoing } from './incoming.js';
export { memoryRateLimitStore } from './core/rate-limit.js';
export type { AuthMethod, FactorRequirement } from './core/amr.js';
export { pageCspSources, type PageCspSources } from './pages/security-headers.js';

export interface Auth {
  /** The REST API: mount it on every method under the base path (default `/api/auth`). */
  handler(request: Request, info?: RequestInfo): Promise<Response>;
  /** The same API on plain records, for integrations that can skip building Fetch objects (see `gatehouse-auth/node`). */
  respond: RawHandler;
  /**
   * The session of a request (or its headers), shaped by the `session` callback, or null.
   * Reads only: it never writes cookies, so it is safe in server components and middleware.
   * On https (the configured URL's scheme, else the Request's, or `X-Forwarded-Proto` under
   * `trustHost`) only the `__Secure-` cookie counts; bare headers without either count as http.
   */
  getSession(request: SessionInput): Promise<Session | null>;
  /** The signed-in user's sessions with their devices, current first (`[]` when signed out); ids are opaque, not tokens. */
  listSessions(request: SessionInput): Promise<SessionInfo[]>;
  /** Ends one of the caller's own sessions by id; false when the id is not theirs. */
  revokeSession(request: SessionInput, id: string): Promise<boolean>;
  /** Ends every session of the caller except the one this request carries; returns how many ended. */
  revokeOtherSessions(request: SessionInput): Promise<number>;
  /**
   * Signs a user out everywhere (after a password reset, a takeover, an admin's action): every
   * session of `userId` ends, except `exceptSessionId` if given. Database sessions need an adapter
   * that lists them, JWT sessions a session store (gatehouse's adapters have both). Returns how
   * many ended; each fires `events.sessionRevoked` with reason `revokedAll`.
   */
  revokeUserSessions(userId: string, options?: { exceptSessionId?: string }): Promise<number>;
  /**
   * Step-up for a sensitive action (changing an email, deleting an account): whether the caller
   * authenticated within `maxAge` seconds (signed in, or re-proved a factor with the client's
   * `reauthenticate()`) and, with `factors`, with those methods (`['otp']`, `['mfa']`) or at least
   * that many factors (`2`). `SessionRequired` when signed out; `RecentSignInRequired` when the
   * authentication is older or unknown; `StepUpRequired` when it is recent but lacks a factor. Send
   * the user through `reauthenticate()` (or sign-in), then retry. See docs/two-factor.md.
   */
  requireRecentAuth(request: SessionInput, options: { maxAge: number; factors?: FactorRequirement }): Promise<RecentAuth>;
  /** The path the API is served under (`/api/auth`, or the path of the configured URL): where integrations mount it. */
  readonly basePath: string;
  /** The configured base URL (`url`, NEXTAUTH_URL, AUTH_URL); undefined when it comes from each trusted request's host. */
  readonly url: BaseUrl | undefined;
  /** The instance's logger (redacting, `debug`-aware), for integrations' own failures. */
  readonly logger: LoggerInstance;
}

/** What `auth.requireRecentAuth` answers. */
export type RecentAuth =
  | {
      ok: true;
      userId: string;
      /** When the user last authenticated (the sign-in, or a later re-authentication). */
      signedInAt: Date;
      /** The RFC 8176 methods of that authentication (empty for a session from before gatehouse recorded them). */
      amr: AuthMethod[];
    }
  | { ok: false; error: 'SessionRequired' }
  | { ok: false; error: 'RecentSignInRequired' | 'StepUpRequired'; userId: string; signedInAt: Date | null; amr: AuthMethod[] };

/** Validates `config` once (a TypeError names what to fix) and returns the instance. Keeps no module-level state. */
export function createAuth(config: AuthConfig): Auth {
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(config);
  } catch (error) {
    // v4 logged its configuration errors by code (NO_SECRET, EMAIL_REQUIRES_ADAPTER_ERROR, …) on
    // each request; gatehouse refuses to start, and logs the same code once for loggers keyed on it.
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof TypeError && typeof code === 'string') createLogger(config?.logger, false).error(code, error);
    throw error;
  }
  const instance: AuthInstance = Object.freeze({ config: resolved, sessions: sessionStrategyOf(resolved) });
  const respond = createRawHandler(instance);
  const logger: Logger = resolved.logger;
  const auth: Auth & { readonly [INSTANCE]: AuthInstance } = {
    handler: async (request: Request, info?: RequestInfo) => toWebResponse(await respond(incomingFromRequest(request), info)),
    respond,
    basePath: resolved.basePath,
    url: resolved.url,
    logger,
    async getSession(input: SessionInput): Promise<Session | null> {
      const source = sourceFromHeaders(instance, input);
      return source ? (await instance.sessions.read(source, { readOnly: true })).session : null;
    },
    async listSessions(input: SessionInput): Promise<SessionInfo[]> {
      const source = sourceFromHeaders(instance, input);
      return (source && (await listSessions(source))) ?? [];
    },
    async revokeSession(input: SessionInput, id: string): Promise<boolean> {
      const source = sourceFromHeaders(instance, input);
      return ((source && (await revokeSession(source, id)))?.revoked ?? 0) > 0;
    },
    async revokeOtherSessions(input: SessionInput): Promise<number> {
      const source = sourceFromHeaders(instance, input);
      return (source && (await revokeOtherSessions(source)))?.revoked ?? 0;
    },
    revokeUserSessions: (userId: string, options?: { exceptSessionId?: string }) => revokeUserSessions(instance, userId, options),
    async requireRecentAuth(input: SessionInput, options: { maxAge: number; factors?: FactorRequirement }): Promise<RecentAuth> {
      if (typeof options?.maxAge !== 'number' || !(options.maxAge > 0)) throw new TypeError('requireRecentAuth: `maxAge` (seconds) must be a positive number');
      const { factors } = options;
      if (factors !== undefined && !(typeof factors === 'number' ? Number.isInteger(factors) && factors >= 1 && factors <= 2 : Array.isArray(factors) && factors.every(isAuthMethod))) {
        throw new TypeError("requireRecentAuth: `factors` must be 1, 2 or a list of RFC 8176 methods ('pwd', 'otp', 'hwk', 'user', 'mfa', 'ext')");
      }
      const source = sourceFromHeaders(instance, input);
      const me = source && (await signedInCaller(source));
      if (!me) return { ok: false, error: 'SessionRequired' };
      const { userId, signedInAt, amr } = me;
      const fresh = signedInAt !== null && Date.now() - signedInAt.valueOf() <= options.maxAge * 1000;
      if (!fresh) return { ok: false, error: 'RecentSignInRequired', userId, signedInAt, amr };
      if (!satisfiesFactors(amr, factors)) return { ok: false, error: 'StepUpRequired', userId, signedInAt, amr };
      return { ok: true, userId, signedInAt, amr };
    },
    // Not in the public type: the resolved instance (secrets included) stays out of reach of code holding `auth`.
    [INSTANCE]: instance,
  };
  Object.defineProperty(auth, INSTANCE, { enumerable: false });
  return Object.freeze(auth);
}
