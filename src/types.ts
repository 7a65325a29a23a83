// Public types: NextAuth v4's options object and the shapes that cross the wire or reach callbacks.
import type { Messages } from './locales/index.js';
import type { Adapter, AdapterUser, SessionStore, TwoFactorStore } from './adapters/types.js';

export type {
  Adapter,
  AdapterUser,
  AdapterAccount,
  AdapterSession,
  StoredPassword,
  VerificationToken,
  SessionRecord,
  SessionStore,
  Revocation,
  LeaseStore,
  TwoFactorRecord,
  TwoFactorStore,
  AuthenticatorRecord,
  AuthenticatorStore,
} from './adapters/types.js';

export type Awaitable<T> = T | PromiseLike<T>;

/** The user as providers, `authorize()` and adapters hand it to gatehouse. */
export interface User {
  id: string;
  name?: string | null;
  email?: string | null;
  image?: string | null;
  [key: string]: unknown;
}

/** An account as v4 passes it to callbacks: which provider, which id there, and the tokens it gave. */
export interface Account {
  provider: string;
  providerAccountId: string;
  type: 'oauth' | 'oidc' | 'email' | 'credentials' | 'webauthn';
  userId?: string;
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expires_at?: number;
  token_type?: string;
  scope?: string;
  session_state?: string;
  [key: string]: unknown;
}

/** The raw profile an identity provider returned. */
export type Profile = Record<string, unknown> & { sub?: string; email?: string | null; name?: string | null; image?: string | null };

/** The body of GET `session`, as the session callback shaped it. */
export interface Session {
  user?: { name?: string | null; email?: string | null; image?: string | null; [key: string]: unknown };
  expires: string;
  [key: string]: unknown;
}

/** The payload of the encrypted session cookie (JWT strategy). */
export interface JWT {
  name?: string | null | undefined;
  email?: string | null | undefined;
  picture?: string | null | undefined;
  sub?: string | undefined;
  iat?: number;
  exp?: number;
  jti?: string;
  [key: string]: unknown;
}

/** `password` is gatehouse's email-and-password provider; it is `credentials` on the wire (GET `providers`). */
export type ProviderType = 'oauth' | 'oidc' | 'email' | 'credentials' | 'password' | 'webauthn';

export interface CredentialInput {
  label?: string;
  type?: string;
  placeholder?: string;
  value?: string;
  [attribute: string]: unknown;
}

/** What `authorize` sees besides the credentials: the parts of the request v4 exposes. */
export interface AuthorizeRequest {
  query: Record<string, string>;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  method: string;
}

export interface CredentialsConfig {
  id: string;
  name: string;
  type: 'credentials';
  credentials: Record<string, CredentialInput>;
  authorize: (credentials: Record<string, string>, request: AuthorizeRequest) => Awaitable<User | null>;
  options?: unknown;
}

/** The email provider; its flow lives in `core/email.ts` and its factory in `providers/email.ts`. */
export interface EmailConfig {
  id: string;
  name: string;
  type: 'email';
  server?: unknown;
  from?: string;
  maxAge?: number;
  sendVerificationRequest: (params: SendVerificationRequestParams) => Awaitable<void>;
  generateVerificationToken?: () => Awaitable<string>;
  normalizeIdentifier?: (identifier: string) => string;
  secret?: string;
  /** Gatehouse: GET of the magic link shows a confirm button instead of signing in (link scanners). */
  confirm?: boolean;
  /** Gatehouse: the mail carries a 6-digit code beside the link, typed on the "check your email" page (10 minutes, 5 tries). */
  code?: boolean;
  options?: unknown;
  [key: string]: unknown;
}

export interface SendVerificationRequestParams {
  identifier: string;
  url: string;
  expires: Date;
  provider: EmailConfig;
  token: string;
  theme: Theme;
  request: Request;
  /** Gatehouse: the locale of the request that triggered the mail (`<html lang>` of its pages), and its text. */
  locale: string;
  messages: Messages;
  /**
   * Gatehouse, with `code: true`: the 6-digit sign-in code to put in the mail beside `url`, valid
   * until `codeExpires` (10 minutes). A custom sender that leaves it out sends links only.
   */
  code?: string;
  codeExpires?: Date;
}

type EndpointConfig<P> = string | { url?: string; params?: P; request?: (context: any) => Awaitable<any> };

/** An OAuth 2.0 / OIDC provider in next-auth v4's shape; the flow lives in `core/oauth.ts`. */
export interface OAuthConfig<P extends Profile = Profile> {
  id: string;
  name: string;
  type: 'oauth' | 'oidc';
  clientId?: string;
  clientSecret?: string;
  issuer?: string;
  wellKnown?: string;
  authorization?: EndpointConfig<Record<string, string>>;
  token?: EndpointConfig<Record<string, string>>;
  userinfo?: EndpointConfig<Record<string, string>>;
  jwks_endpoint?: string;
  checks?: Array<'state' | 'pkce' | 'nonce' | 'none'>;
  idToken?: boolean;
  profile?: (profile: P, tokens: Record<string, unknown>) => Awaitable<User>;
  client?: { token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none'; [key: string]: unknown };
  allowDangerousEmailAccountLinking?: boolean;
  style?: { logo?: string; bg?: string; text?: string; [key: string]: unknown };
  options?: unknown;
  [key: string]: unknown;
}

export type Provider = CredentialsConfig | EmailConfig | OAuthConfig<any> | PasswordConfig | PasskeyConfig;

/** Gatehouse: passkeys (WebAuthn, `gatehouse-auth/providers/passkey`); Auth.js v5's `webauthn` type on the wire. Needs an adapter with `authenticatorStore()`. */
export interface PasskeyConfig {
  id: string;
  name: string;
  type: 'webauthn';
  /** The name authenticators show at registration (default: the host of the configured URL). */
  rpName?: string;
  /** The relying party ID (WebAuthn §5.1.2): default the host name of the configured URL; may be a registrable suffix of it. */
  rpID?: string;
  /** Milliseconds the browser lets the user take (default 300000, the challenge's own lifetime). */
  timeout?: number;
  /** Whether the authenticator must verify the user (PIN, biometrics): default 'required', which makes a passkey two factors. */
  userVerification?: 'required' | 'preferred';
  options?: unknown;
}

/** Which mail the Password provider sends: the sign-up verification link, a reset link, or "you already have an account". */
export type PasswordMailKind = 'verifyEmail' | 'resetPassword' | 'accountExists';

export interface PasswordMailParams {
  kind: PasswordMailKind;
  /** The address to send to. */
  identifier: string;
  /** The link to put in the mail (for `accountExists`: the sign-in page and the reset request page). */
  url: string;
  /** When the link stops working (for `accountExists`: when the mail stops being useful). */
  expires: Date;
  provider: PasswordConfig;
  theme: Theme;
  request: Request;
  /** Gatehouse: the locale of the request that triggered the mail (`<html lang>` of its pages), and its text. */
  locale: string;
  messages: Messages;
}

/** A field the sign-up form asks for besides email, password and name; its value is passed to `createUser`. */
export interface SignUpField {
  label?: string;
  type?: string;
  required?: boolean;
  /** Longest value accepted, in characters (default 256). */
  maxLength?: number;
}

/** Gatehouse: email and password accounts (`gatehouse-auth/providers/password`). Needs an adapter. */
export interface PasswordConfig {
  id: string;
  name: string;
  type: 'password';
  /** nodemailer transport (URL or options) for the default sender. */
  server?: unknown;
  from?: string;
  /** Sends every mail of the provider (default: nodemailer through `server`). */
  sendVerificationRequest: (params: PasswordMailParams) => Awaitable<void>;
  /** Signing in needs a verified address (default true): `EmailNotVerified` otherwise. */
  requireEmailVerification?: boolean;
  /** POST `signup/<id>` creates accounts (default true). */
  allowSignUp?: boolean;
  /** Extra sign-up fields, by body key. */
  fields?: Record<string, SignUpField>;
  /** Length bounds (NFKC code points; default 8–128). */
  policy?: { minLength?: number; maxLength?: number };
  /** e.g. `pwnedPasswords()` from gatehouse-auth/password: refuses breached passwords at sign-up, reset and change. */
  breachedPasswords?: (password: string) => Promise<'ok' | 'breached' | 'unavailable'>;
  /** e.g. `turnstile({ secret })` from gatehouse-auth/captcha; false refuses the request. */
  verifyCaptcha?: (token: string, request: Request) => boolean | Promise<boolean>;
  /** Which POSTs ask `verifyCaptcha` (default sign-up and forgot-password). */
  captchaOn?: ReadonlyArray<'signIn' | 'signUp' | 'forgotPassword' | 'resetPassword'>;
  /** Consecutive failures before a lock, and how long locks last; `false` turns lockout off. */
  lockout?: false | { threshold?: number; lockSeconds?: number; factor?: number; maxLockSeconds?: number };
  /** scrypt cost for new hashes; stored hashes with less are rehashed at the next sign-in. */
  scrypt?: { N?: number; r?: number; p?: number };
  /**
   * Checks a stored hash that is not gatehouse's scrypt (users migrated with bcrypt or argon2
   * hashes): true accepts, and the password is then rehashed with scrypt.
   */
  verifyHash?: (password: string, hash: string) => Awaitable<boolean>;
  /** Seconds a verification link stays valid (default 24 h). */
  verificationMaxAge?: number;
  /** Seconds a reset link stays valid (default 1 h). */
  resetMaxAge?: number;
  /** After a reset: sign the user in (default true) or send them to the sign-in page. */
  signInAfterReset?: boolean;
  /**
   * Default true: sign-up of an address that has an account answers as a new one would (the
   * owner gets a mail). `false` answers `EmailInUse` instead, telling anyone which addresses exist.
   */
  enumerationSafe?: boolean;
  options?: unknown;
}

export interface Theme {
  colorScheme?: 'auto' | 'dark' | 'light';
  brandColor?: string;
  logo?: string;
  buttonText?: string;
}

export interface Pages {
  signIn?: string;
  signOut?: string;
  error?: string;
  verifyRequest?: string;
  newUser?: string;
  /** Gatehouse: your sign-up page (GET `signup` redirects there). */
  signUp?: string;
  /** Gatehouse: your reset pages: GET `password/forgot` and `password/reset` redirect there (with `token`). */
  resetPassword?: string;
  /** Gatehouse: your account-security page: GET `security` redirects there (with `error` or `done`), and the routes' form posts come back through it. */
  security?: string;
}

export interface CookieOption {
  name: string;
  options: {
    httpOnly?: boolean;
    sameSite?: 'lax' | 'strict' | 'none';
    path?: string;
    secure?: boolean;
    domain?: string;
    maxAge?: number;
  };
}

export interface CookiesOptions {
  sessionToken: CookieOption;
  callbackUrl: CookieOption;
  csrfToken: CookieOption;
  pkceCodeVerifier: CookieOption;
  state: CookieOption;
  nonce: CookieOption;
}

export interface LoggerInstance {
  error: (code: string, metadata?: unknown) => void;
  warn: (code: string, metadata?: unknown) => void;
  debug: (code: string, metadata?: unknown) => void;
}

export interface JWTEncodeParams {
  token?: JWT;
  secret: string | string[];
  maxAge?: number;
  salt?: string;
}

export interface JWTDecodeParams {
  token?: string;
  secret: string | string[];
  salt?: string;
}

export interface CallbacksOptions {
  signIn?: (params: { user: User | AdapterUser; account: Account | null; profile?: Profile; email?: { verificationRequest?: boolean }; credentials?: Record<string, unknown> }) => Awaitable<boolean | string>;
  redirect?: (params: { url: string; baseUrl: string }) => Awaitable<string>;
  session?: (params: { session: Session; token: JWT; user: AdapterUser; newSession?: unknown; trigger?: 'update' }) => Awaitable<Session | Record<string, unknown>>;
  jwt?: (params: { token: JWT; user?: User | AdapterUser; account?: Account | null; profile?: Profile; trigger?: 'signIn' | 'signUp' | 'update'; isNewUser?: boolean; session?: unknown }) => Awaitable<JWT | null>;
}

export interface EventsOptions {
  signIn?: (message: { user: User; account: Account | null; profile?: Profile; isNewUser?: boolean }) => Awaitable<void>;
  signOut?: (message: { token?: JWT | null; session?: unknown }) => Awaitable<void>;
  createUser?: (message: { user: User }) => Awaitable<void>;
  updateUser?: (message: { user: User }) => Awaitable<void>;
  linkAccount?: (message: { user: User; account: Account; profile: User }) => Awaitable<void>;
  session?: (message: { session: Session; token?: JWT }) => Awaitable<void>;
  /** Gatehouse: a session ended by sign-out or revocation (the audit-log hook, with the two below). */
  sessionRevoked?: (message: SessionRevokedEvent) => Awaitable<void>;
  /** Gatehouse: a sign-in that did not complete (wrong password, refused by a callback, a failed OAuth exchange …). */
  signInFailure?: (message: SignInFailureEvent) => Awaitable<void>;
  /** Gatehouse: a request refused by a rate limit. */
  rateLimited?: (message: RateLimitedEvent) => Awaitable<void>;
  /** Gatehouse: an account locked after consecutive wrong passwords (Password provider). */
  lockout?: (message: LockoutEvent) => Awaitable<void>;
}

export interface LockoutEvent {
  userId: string;
  provider: string;
  /** When the lock ends. */
  lockedUntil: Date;
  /** Which lock in a row this is (each lasts longer). */
  lockouts: number;
  ip: string | undefined;
  userAgent: string | undefined;
}

export interface SessionRevokedEvent {
  userId: string;
  /** The id GET `sessions` lists (never the cookie). */
  sessionId: string;
  reason: 'signOut' | 'revoked' | 'revokedOthers' | 'revokedAll';
  strategy: 'jwt' | 'database';
}

export interface SignInFailureEvent {
  /** The error code the user was sent to: `CredentialsSignin`, `AccessDenied`, `OAuthCallback`, `Verification` … */
  reason: string;
  provider: string | undefined;
  /** As the rate limiter sees it (`rateLimit.ipHeader` / `clientIp`), else the socket's address. */
  ip: string | undefined;
  userAgent: string | undefined;
  /**
   * The submitted email / username, as an HMAC under the app's secret (hex): equal for equal
   * identifiers, so failures can be grouped, without the log holding what people typed.
   */
  identifierHash: string | undefined;
}

export interface RateLimitedEvent {
  /** Which limit: `credentials` (failed sign-ins) or `email` (magic-link sends). */
  kind: 'credentials' | 'email';
  provider: string | undefined;
  ip: string | undefined;
  userAgent: string | undefined;
  identifierHash: string | undefined;
  /** Seconds until the client may try again (the `Retry-After` sent). */
  retryAfter: number;
}

/** Gatehouse: the session index (devices list, revocation of JWT sessions). */
export interface SessionsOptions {
  /**
   * Where the index lives. Default: the adapter's `sessionStore()` (every gatehouse adapter has
   * one; third-party adapters do not). A JWT app without an adapter can pass
   * `redisAdapter(url).sessionStore()`. `false`: no index; sign-out then revokes a JWT only on
   * the instance that handled it.
   */
  store?: SessionStore | false;
  /** How the client address is kept: whole (default `true`), `'truncate'` (/24, /48), `'hash'` (keyed), or `false`. */
  storeIp?: boolean | 'truncate' | 'hash';
  /**
   * Seconds within which a JWT revoked on one instance is refused by every other (default 5).
   * Each instance polls the store at most once per interval, never per request.
   */
  revocationLag?: number;
}

/** The options object: next-auth v4's, plus gatehouse's additions (marked). */
export interface AuthConfig {
  providers: Provider[];
  secret?: string | string[];
  session?: {
    strategy?: 'jwt' | 'database';
    maxAge?: number;
    updateAge?: number;
    generateSessionToken?: () => string;
  };
  jwt?: {
    maxAge?: number;
    secret?: string;
    encode?: (params: JWTEncodeParams) => Awaitable<string>;
    decode?: (params: JWTDecodeParams) => Awaitable<JWT | null>;
  };
  adapter?: Adapter;
  callbacks?: CallbacksOptions;
  events?: EventsOptions;
  pages?: Pages;
  theme?: Theme;
  cookies?: Partial<CookiesOptions>;
  useSecureCookies?: boolean;
  debug?: boolean;
  logger?: Partial<LoggerInstance>;
  /** Gatehouse: the absolute URL of the auth API (origin and path); else NEXTAUTH_URL / AUTH_URL. */
  url?: string;
  /** Gatehouse: trust the request's Host / X-Forwarded-Host when no URL is configured. */
  trustHost?: boolean;
  /** Gatehouse: the hosts (`host[:port]`) accepted when no URL is configured. */
  allowedHosts?: string[];
  /** Gatehouse: the base path when no URL is configured (default `/api/auth`). */
  basePath?: string;
  /** Gatehouse: limits on failed credentials attempts and magic-link sends; `false` turns them off. */
  rateLimit?: false | RateLimitOptions;
  /** Gatehouse: the session index behind GET `sessions`, revocation and device details. */
  sessions?: SessionsOptions;
  /**
   * Gatehouse: milliseconds every store call (adapter, session index, rate-limit store) may take
   * before the request fails closed with 503 (`ServiceUnavailable`). Default 5000.
   */
  storeTimeout?: number;
  /**
   * Gatehouse: second factors (TOTP with backup codes). With it, a user who enrolled is asked for a
   * code after any first factor before a session starts. Needs an adapter with `twoFactorStore()`
   * (gatehouse's adapters) or `store`. See docs/two-factor.md.
   */
  twoFactor?: TwoFactorOptions;
  /**
   * Gatehouse: the language of the built-in pages and mails. A tag (`"de"`) for every request, or a
   * function of the request returning one (or undefined to fall back to `Accept-Language`). Without
   * it, each request gets the best of its `Accept-Language`; `?lang=` overrides either. See docs/locales.md.
   */
  locale?: string | ((request: Request) => string | null | undefined);
  /**
   * Gatehouse: messages by locale tag, over the shipped ones (`{ ja: { "signin.heading": "…" } }`), or a
   * locale of the app's own (`{ "pt-PT": { … } }`); a key left out keeps the shipped text, else English.
   */
  messages?: LocaleMessages;
}

/** Gatehouse: an app's messages, by locale tag; each a subset of `Messages` (the keys of the English catalogue). */
export type LocaleMessages = { readonly [locale: string]: Partial<Messages> };

export interface TwoFactorOptions {
  /** The name authenticator apps show beside the code. Default: the host of the configured URL, else `gatehouse`. */
  issuer?: string;
  /** Where enrolments live. Default: the adapter's `twoFactorStore()`. */
  store?: TwoFactorStore;
  /**
   * How recently (seconds) the user must have signed in to enrol, regenerate backup codes or
   * disable the factor (a stolen session alone cannot). Default 600.
   */
  recentSignIn?: number;
  /**
   * "Trust this device": a checkbox on the second step that skips it on this browser for `days`
   * (default 30), until the user's sessions are revoked ("sign out everywhere", "sign out other
   * devices") or the factor is disabled or enrolled again. `false` removes the checkbox and ignores
   * such cookies. Default on.
   */
  trustDevice?: boolean | { days?: number };
  /**
   * Email one-time codes as a fallback second step for users with TOTP (a lost phone): POST
   * `two-factor/email-code` mails 6 digits, good for 10 minutes and 5 tries, through the first Email
   * provider's `server` and `from`. Never after a magic link (the same inbox is not a second factor).
   * Default off.
   */
  emailCode?: boolean;
}

/** Where rate-limit counters live: in-process (`memoryRateLimitStore`) or shared (`adapter.rateLimitStore()`). */
export interface RateLimitStore {
  /**
   * Adds one to the counter of `key` in its current window and returns the new count and when the
   * window ends. The window starts with the first hit and lasts `windowSeconds`.
   */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetAt: number }>;
  /** The counter of `key` without changing it (0 when no window is open). */
  peek(key: string): Promise<{ count: number; resetAt: number }>;
  /**
   * Takes one hit back from `key`'s open window, never below zero; nothing when no window is open.
   * Attempts are reserved with `hit` before they run and refunded when they turn out not to count
   * (a success, or a request refused by another limit), so parallel requests cannot all pass a
   * check that reads first and counts later.
   */
  refund(key: string): Promise<void>;
  /** Forgets a key (after a successful sign-in, the identifier's failures are cleared). */
  reset(key: string): Promise<void>;
}

export interface RateRuleOption {
  /** Attempts allowed per window. */
  limit: number;
  /** Window length in seconds. */
  window: number;
}

export interface RateLimitOptions {
  /** Where counters live: in-process by default; a shared store (e.g. Redis) for several instances. */
  store?: RateLimitStore;
  /**
   * The header your proxy sets to the client address (e.g. `x-forwarded-for`: the last entry is
   * used, the one your proxy appended). Never trusted unless named here.
   */
  ipHeader?: string;
  /** Or compute the client address yourself. */
  clientIp?: (request: Request) => string | null | undefined;
  credentials?: { perIp?: RateRuleOption | false; perIdentifier?: RateRuleOption | false };
  email?: { perIp?: RateRuleOption | false; perAddress?: RateRuleOption | false };
}

/** What `authorize`, pages and redirects need to know about the base URL of one request. */
export interface BaseUrl {
  /** e.g. `https://example.com` */
  origin: string;
  /** e.g. `/api/auth` */
  path: string;
  /** origin + path */
  base: string;
}
