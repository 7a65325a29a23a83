// Validates the options object once, resolves secrets, URLs, cookies and callbacks, and returns a frozen config.
import { resolveLocales, type ResolvedLocales } from './config/locales.js';
import { resolvePasskey, type PasskeySettings } from './config/passkey.js';
import { resolveTwoFactor, type ResolvedTwoFactor } from './config/two-factor.js';
import {
  missingMethods,
  resolveStores,
  type AccountStore,
  type DatabaseSessionStore,
  type PasswordStore,
  type StoreName,
  type Stores,
  type SignUpStore,
  type UserStore,
  type VerificationTokenStore,
} from './adapters/stores.js';
import { bounded, DEFAULT_STORE_TIMEOUT_MS } from './adapters/bounded.js';
import type { Adapter, LeaseStore, SessionStore } from './adapters/types.js';
import type { AuthjsKeys } from './core/authjs-jwe.js';
import { type CookieAttributes } from './core/cookies.js';
import { base64urlEncode, randomBytes, randomToken } from './core/crypto.js';
import { DEFAULT_MAX_AGE, deriveKeys, OpenedTokenCache, secretList, type JweKeys } from './core/jwt.js';
import type { StoreIp } from './core/ip.js';
import { createLogger, type Logger } from './core/logger.js';
import { memoryLeaseStore } from './core/memory-lease.js';
import { DEFAULT_LOCKOUT, validLockout, type LockoutRule } from './core/lockout.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from './core/password.js';
import { DEFAULT_PASSWORD_POLICY, validPolicy, type PasswordPolicy } from './core/password-policy.js';
import { resolveProviderOptions } from './core/merge.js';
import { normalizeProvider, type OAuthSpec, type Server } from './core/oauth/spec.js';
import { memoryRateLimitStore, type RateRule } from './core/rate-limit.js';
import { defaultRedirect } from './core/redirect.js';
import { createRetryQueue, type RetryQueue } from './core/retry-queue.js';
import { revocationState, type RevocationState } from './core/revocation-list.js';
import { DEFAULT_BASE_PATH, isLoopbackUrl, normalizeBasePath, parseBaseUrl } from './core/url.js';
import type {
  AuthConfig,
  BaseUrl,
  CallbacksOptions,
  CredentialsConfig,
  EmailConfig,
  EventsOptions,
  JWT,
  OAuthConfig,
  Pages,
  PasswordConfig,
  PasskeyConfig,
  Provider,
  ProviderType,
  RateLimitStore,
  CookiesOptions,
  Session,
  Theme,
} from './types.js';

export interface ResolvedCookie {
  name: string;
  options: CookieAttributes;
}

export interface CookieSet {
  sessionToken: ResolvedCookie;
  callbackUrl: ResolvedCookie;
  csrfToken: ResolvedCookie;
  pkceCodeVerifier: ResolvedCookie;
  state: ResolvedCookie;
  nonce: ResolvedCookie;
  /**
   * next-auth v5's session cookie name for the same scheme (`authjs.session-token`, `__Secure-` on
   * https): read when the request has no gatehouse session cookie, so v5 sessions carry over, and
   * never written. Not configurable: it is what v5 wrote by default.
   */
  v5SessionToken: string;
}

interface ProviderBase {
  readonly id: string;
  readonly name: string;
}

export interface CredentialsProvider extends ProviderBase {
  readonly type: 'credentials';
  /** The options as given (defaults and `options` merged), for `authorize` and the sign-in page. */
  readonly config: CredentialsConfig;
}

export interface EmailProvider extends ProviderBase {
  readonly type: 'email';
  readonly config: EmailConfig;
  /** Hashes the link token: the provider's own `secret`, else the instance's (first signs, all verify). */
  readonly secrets: Secrets;
  /** Stores the email flow needs, checked at createAuth. */
  readonly tokens: VerificationTokenStore;
  readonly users: UserStore;
  /**
   * With `code: true`: where sign-in codes live (the adapter's lease store) and their tries and sends
   * are counted (the `rateLimit` store, else one of this instance: codes are never unlimited).
   */
  readonly codes: { readonly leases: LeaseStore; readonly attempts: RateLimitStore } | undefined;
}

export interface OAuthProvider extends ProviderBase {
  readonly type: 'oauth' | 'oidc';
  readonly config: OAuthConfig;
  /** The provider normalized once, at createAuth: every default applied, every URL parsed. */
  readonly spec: OAuthSpec;
  /** With an adapter: where users and linked accounts are found (checked at createAuth); undefined without one. */
  readonly linking:
    | {
        readonly users: UserStore;
        readonly accounts: AccountStore;
        /** The user and account in one write, when the adapter offers it (gatehouse's do). */
        readonly signUps: SignUpStore | undefined;
        /** Otherwise, where a sign-up in progress is noted so an interrupted one is completed, not locked out. */
        readonly markers: VerificationTokenStore | undefined;
      }
    | undefined;
}

export interface PasswordProvider extends ProviderBase {
  readonly type: 'password';
  readonly config: PasswordConfig;
  /** Hashes the link tokens (verification, reset): the instance's secrets, first signs, all verify. */
  readonly secrets: Secrets;
  readonly users: UserStore;
  readonly passwords: PasswordStore;
  readonly tokens: VerificationTokenStore;
  readonly policy: PasswordPolicy;
  /** Undefined when `lockout: false`. */
  readonly lockout: LockoutRule | undefined;
  readonly scrypt: ScryptParams;
  readonly requireEmailVerification: boolean;
  readonly enumerationSafe: boolean;
  /** Seconds a verification link and a reset link stay valid. */
  readonly verificationMaxAge: number;
  readonly resetMaxAge: number;
  readonly captchaOn: ReadonlySet<'signIn' | 'signUp' | 'forgotPassword' | 'resetPassword'>;
}

export interface PasskeyProvider extends ProviderBase, PasskeySettings {
  readonly type: 'webauthn';
  readonly config: PasskeyConfig;
}

/** The provider of each type, so a flow of one type gets exactly its provider. */
export interface ProviderByType {
  webauthn: PasskeyProvider;
  credentials: CredentialsProvider;
  password: PasswordProvider;
  email: EmailProvider;
  oauth: OAuthProvider;
  oidc: OAuthProvider;
}

export type ResolvedProvider = ProviderByType[ProviderType];

/** At least one secret: the first signs and encrypts, every one verifies and decrypts (rotation). */
export type Secrets = readonly [string, ...string[]];

/** The session strategy as validated: the database one always has its store. */
export type SessionStrategyConfig = { readonly kind: 'jwt' } | { readonly kind: 'database'; readonly store: DatabaseSessionStore };

/** Per-instance caches: values derived from the config alone (and the base URL), never module-level. */
export interface InstanceCaches {
  /** Recently opened session cookies (their plaintexts), so a repeated cookie is not decrypted again. */
  readonly openedSessions: OpenedTokenCache;
  /** The GET `providers` body per base URL. */
  readonly providersJson: Map<string, string>;
  /** OAuth authorization server metadata per provider id (discovery runs once; a failure is not kept). */
  readonly oauthServers: Map<string, Promise<Server>>;
  /** When each provider's last discovery failed (epoch ms), cleared by a success: pages skip a dead IdP for a while. */
  readonly oauthServerFailures: Map<string, number>;
  /** next-auth v5's session keys per cookie name (its HKDF salt), derived on first use. */
  readonly authjsKeys: Map<string, AuthjsKeys>;
}

export interface ResolvedConfig {
  readonly providers: readonly ResolvedProvider[];
  readonly providerById: ReadonlyMap<string, ResolvedProvider>;
  /** First signs, all verify. */
  readonly secrets: Secrets;
  /** The session cookie's JWE keys, derived once (HKDF per secret). */
  readonly sessionKeys: JweKeys;
  readonly strategy: SessionStrategyConfig;
  readonly maxAge: number;
  readonly updateAge: number;
  readonly jwtMaxAge: number;
  readonly generateSessionToken: () => string;
  readonly jwtEncode: ((params: { token: JWT; secret: string | string[]; maxAge: number; salt: string }) => Promise<string>) | undefined;
  readonly jwtDecode: ((params: { token: string; secret: string | string[]; salt: string }) => Promise<JWT | null>) | undefined;
  /** The adapter by capability; a store is undefined when the adapter lacks one of its methods. */
  readonly stores: Stores;
  readonly callbacks: Required<Pick<CallbacksOptions, 'redirect' | 'session' | 'jwt' | 'signIn'>>;
  readonly events: EventsOptions;
  readonly pages: Pages;
  readonly theme: Theme;
  readonly logger: Logger;
  readonly debug: boolean;
  /** The configured base URL; undefined when it comes from a trusted request host. */
  readonly url: BaseUrl | undefined;
  readonly trustHost: boolean;
  readonly allowedHosts: ReadonlySet<string> | undefined;
  readonly basePath: string;
  /** Cookie names and attributes for http and for https bases. */
  readonly cookies: { readonly secure: CookieSet; readonly insecure: CookieSet };
  readonly useSecureCookies: boolean | undefined;
  readonly production: boolean;
  /** Milliseconds any one store call may take (`storeTimeout`); the stores above are bounded by it already. */
  readonly storeTimeout: number;
  readonly rateLimit: ResolvedRateLimit | undefined;
  readonly sessionIndex: ResolvedSessionIndex;
  /** Second factors; undefined unless `twoFactor` is set. */
  readonly twoFactor: ResolvedTwoFactor | undefined;
  /** The locales pages and mails can be in, their text, and how a request's is chosen (`locale`, `messages`). */
  readonly locales: ResolvedLocales;
  /** Where database sessions' authentication (time and methods, flows/step-up.ts) is kept: the adapter's lease store, else this process's. */
  readonly stepUp: { readonly store: LeaseStore };
  readonly caches: InstanceCaches;
  /**
   * Sign-outs the store did not take (an outage), keyed by session id: retried until they land,
   * and refused by this instance meanwhile.
   */
  readonly pendingSignOuts: RetryQueue;
}

type Env = Record<string, string | undefined>;

export interface ResolvedSessionIndex {
  readonly store: SessionStore | undefined;
  readonly storeIp: StoreIp;
  readonly lagMs: number;
  /** This instance's view of revoked JWT session ids (and, with a store, its place in the shared log). */
  readonly revocations: RevocationState;
}

const DEFAULT_REVOCATION_LAG = 5;
const SESSION_INDEX_METHODS = ['saveSession', 'touchSession', 'listUserSessions', 'revokeSessions', 'revocationsSince'] as const;

function resolveSessionIndex(option: AuthConfig['sessions'], adapter: Adapter | undefined, storeTimeout: number): ResolvedSessionIndex {
  const o = option ?? {};
  let store: SessionStore | undefined;
  if (o.store === undefined) {
    const factory = (adapter as { sessionStore?: unknown } | undefined)?.sessionStore;
    store = typeof factory === 'function' ? (factory.call(adapter) as SessionStore) : undefined;
  } else if (o.store !== false) {
    store = o.store;
  }
  if (store) {
    for (const method of SESSION_INDEX_METHODS) {
      if (typeof (store as unknown as Record<string, unknown>)[method] !== 'function') {
        fail(`sessions.store.${method}`, 'is missing', "Pass a gatehouse adapter's `sessionStore()`, or `false` for none.");
      }
    }
  }
  const storeIp = o.storeIp ?? true;
  if (storeIp !== true && storeIp !== false && storeIp !== 'truncate' && storeIp !== 'hash') {
    fail('sessions.storeIp', `is ${JSON.stringify(storeIp)}`, 'Use true, false, "truncate" or "hash".');
  }
  const lag = checkNumber('sessions.revocationLag', o.revocationLag, DEFAULT_REVOCATION_LAG);
  if (store) store = bounded(store, storeTimeout, 'sessions.store');
  return Object.freeze({ store, storeIp, lagMs: lag * 1000, revocations: revocationState() });
}

/** The adapter's lease store (shared by every instance), bounded like the other stores; one in this process without it. */
function stepUpStore(adapter: Adapter | undefined, storeTimeout: number): LeaseStore {
  const factory = (adapter as { leaseStore?: unknown } | undefined)?.leaseStore;
  return typeof factory === 'function' ? bounded(factory.call(adapter) as LeaseStore, storeTimeout, 'leaseStore') : memoryLeaseStore();
}

export interface ResolvedRateLimit {
  readonly store: RateLimitStore;
  readonly clientIp: (header: (name: string) => string | null, request: () => Request, fallback: string | undefined) => string | undefined;
  readonly credentialsPerIp: RateRule | undefined;
  readonly credentialsPerIdentifier: RateRule | undefined;
  readonly emailPerIp: RateRule | undefined;
  readonly emailPerAddress: RateRule | undefined;
  /** Per-IP rules that only the integration's socket address can feed (no `ipHeader`, no `clientIp`). */
  readonly needsClientAddress: boolean;
}

/** Defaults: enough for a person who mistypes, too few for a guessing script or a mail bomb. */
const RATE_DEFAULTS = {
  credentialsPerIp: { limit: 30, window: 15 * 60 },
  credentialsPerIdentifier: { limit: 10, window: 15 * 60 },
  emailPerIp: { limit: 20, window: 60 * 60 },
  emailPerAddress: { limit: 5, window: 15 * 60 },
} as const;

/**
 * A misconfiguration: a TypeError naming the option and the fix. `code` is next-auth v4's logger code
 * for the same mistake, where v4 had one (`createAuth` logs it too, for loggers that key on it).
 */
function fail(option: string, problem: string, fix: string, code?: string): never {
  const error = new TypeError(`gatehouse: \`${option}\` ${problem}. ${fix}`);
  if (code !== undefined) Object.assign(error, { code });
  throw error;
}

const BUILT_IN_ADAPTERS = 'a built-in adapter (gatehouse-auth/adapters/sqlite, postgres, mysql, redis or memory)';

const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

function defaultCookies(secure: boolean): CookieSet {
  const prefix = secure ? '__Secure-' : '';
  const base: CookieAttributes = { httpOnly: true, sameSite: 'lax', path: '/', secure };
  return {
    sessionToken: { name: `${prefix}next-auth.session-token`, options: base },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options: base },
    // `__Host-` pins the CSRF cookie to this exact host: no Domain, Path=/, Secure (RFC 6265bis §4.1.3.2).
    csrfToken: { name: `${secure ? '__Host-' : ''}next-auth.csrf-token`, options: base },
    pkceCodeVerifier: { name: `${prefix}next-auth.pkce.code_verifier`, options: { ...base, maxAge: 900 } },
    state: { name: `${prefix}next-auth.state`, options: { ...base, maxAge: 900 } },
    nonce: { name: `${prefix}next-auth.nonce`, options: { ...base, maxAge: 900 } },
    v5SessionToken: `${prefix}authjs.session-token`,
  };
}

const overridable: Record<keyof CookiesOptions, true> = { sessionToken: true, callbackUrl: true, csrfToken: true, pkceCodeVerifier: true, state: true, nonce: true };

function mergeCookies(defaults: CookieSet, overrides: AuthConfig['cookies']): CookieSet {
  if (!overrides) return defaults;
  const out = { ...defaults };
  for (const key of Object.keys(overridable) as Array<keyof CookiesOptions>) {
    const override = overrides[key];
    if (!override) continue;
    if (typeof override.name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(override.name)) {
      fail(`cookies.${key}.name`, 'is not a valid cookie name', 'Use letters, digits and -._ only.');
    }
    out[key] = { name: override.name, options: { ...defaults[key].options, ...override.options } };
  }
  return Object.freeze(out);
}

/** A provider whose shape was checked (type, id, required functions), before its type's own resolution. */
interface CheckedProvider {
  readonly id: string;
  readonly name: string;
  readonly config: Provider;
}

function resolveProviders(providers: unknown): CheckedProvider[] {
  if (!Array.isArray(providers)) fail('providers', 'must be an array', 'Pass `providers: [Credentials({...})]` or another provider.');
  const seen = new Set<string>();
  return providers.map((raw, index) => {
    if (!raw || typeof raw !== 'object') fail(`providers[${index}]`, 'is not a provider', 'Call the provider factory, e.g. `Credentials({...})`.');
    // v4 factories put user options under `options`; a plain object is taken as it is.
    const merged = resolveProviderOptions(raw) as unknown as Provider;
    const type = merged.type;
    if (type !== 'oauth' && type !== 'oidc' && type !== 'email' && type !== 'credentials' && type !== 'password' && type !== 'webauthn') {
      fail(`providers[${index}].type`, `is ${JSON.stringify(type)}`, 'Use "oauth", "oidc", "email", "credentials", "password" or "webauthn".');
    }
    if (typeof merged.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(merged.id)) {
      fail(`providers[${index}].id`, 'must be 1-64 letters, digits, - or _', 'It becomes a URL segment: `/signin/<id>`.');
    }
    if (seen.has(merged.id)) fail(`providers[${index}].id`, `repeats "${merged.id}"`, 'Give each provider a distinct `id`.');
    seen.add(merged.id);
    if (type === 'credentials' && typeof merged.authorize !== 'function') {
      fail(`providers[${index}].authorize`, 'is missing', 'A credentials provider needs `authorize(credentials, request)` returning a user or null.', 'CALLBACK_CREDENTIALS_HANDLER_ERROR');
    }
    if (type === 'email' && typeof merged.sendVerificationRequest !== 'function') {
      fail(`providers[${index}].sendVerificationRequest`, 'is missing', 'Use the `Email` provider factory or pass your own sender.');
    }
    if (type === 'password' && typeof merged.sendVerificationRequest !== 'function') {
      fail(`providers[${index}].sendVerificationRequest`, 'is missing', 'Use the `Password` provider factory with `server`, or pass your own sender.');
    }
    return { id: merged.id, name: typeof merged.name === 'string' ? merged.name : merged.id, config: merged };
  });
}

const CAPTCHA_STEPS = ['signIn', 'signUp', 'forgotPassword', 'resetPassword'] as const;

/** The Password provider's stores (every one required at createAuth) and its options checked once. */
function passwordProvider(id: string, name: string, config: PasswordConfig, needs: ProviderNeeds): PasswordProvider {
  const { adapter, stores } = needs;
  const where = `providers (${id})`;
  if (!adapter) {
    fail(
      'adapter',
      `is required by the password provider "${id}"`,
      `Users, password hashes and link tokens are stored: add ${BUILT_IN_ADAPTERS}, e.g. \`adapter: sqliteAdapter('auth.sqlite')\`.`,
      'MISSING_ADAPTER_METHODS_ERROR',
    );
  }
  const fix = (what: string) => (missing: string) => `The password provider ${what} with ${missing}: add them to your adapter, or use ${BUILT_IN_ADAPTERS} (run its migrate() for the gatehouse_passwords table).`;
  const users = requireStore(adapter, stores, 'users', fix('finds, creates and verifies users'));
  const passwords = requireStore(adapter, stores, 'passwords', fix('stores password hashes and counts failures'));
  const tokens = requireStore(adapter, stores, 'verificationTokens', fix('stores and spends verification and reset links'));
  const policy: PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY, ...(config.policy ?? {}) };
  if (!validPolicy(policy)) fail(`${where}.policy`, 'is out of bounds', 'Use integers with 1 ≤ minLength ≤ maxLength ≤ 1024 (default 8 and 128).');
  let lockout: LockoutRule | undefined;
  if (config.lockout !== false) {
    lockout = { ...DEFAULT_LOCKOUT, ...(config.lockout ?? {}) };
    if (!validLockout(lockout)) fail(`${where}.lockout`, 'is out of bounds', 'Use threshold ≥ 1 (an integer), lockSeconds > 0, factor ≥ 1 and maxLockSeconds ≥ lockSeconds, or `false`.');
  }
  const scrypt: ScryptParams = { ...DEFAULT_SCRYPT_PARAMS, ...(config.scrypt ?? {}) };
  for (const key of ['breachedPasswords', 'verifyCaptcha', 'verifyHash'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'function') fail(`${where}.${key}`, 'is not a function', 'Pass a function or leave it out.');
  }
  const captchaOn = new Set<(typeof CAPTCHA_STEPS)[number]>(config.captchaOn ?? ['signUp', 'forgotPassword']);
  for (const step of captchaOn) {
    if (!(CAPTCHA_STEPS as readonly string[]).includes(step)) fail(`${where}.captchaOn`, `names ${JSON.stringify(step)}`, `Use any of ${CAPTCHA_STEPS.join(', ')}.`);
  }
  for (const [key, field] of Object.entries(config.fields ?? {})) {
    if (['email', 'password', 'name', 'csrfToken', 'callbackUrl', 'json', 'id', 'emailVerified'].includes(key) || !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key) || !field || typeof field !== 'object') {
      fail(`${where}.fields.${key}`, 'is not a usable extra field', 'Name fields with letters, digits and _ (not email, password, name, id, emailVerified) and give each `{ label }`.');
    }
  }
  return Object.freeze({
    id,
    name,
    type: 'password' as const,
    config,
    secrets: needs.secrets,
    users,
    passwords,
    tokens,
    policy: Object.freeze(policy),
    lockout: lockout && Object.freeze(lockout),
    scrypt: Object.freeze(scrypt),
    requireEmailVerification: config.requireEmailVerification ?? true,
    enumerationSafe: config.enumerationSafe ?? true,
    verificationMaxAge: checkNumber(`${where}.verificationMaxAge`, config.verificationMaxAge, 24 * 60 * 60),
    resetMaxAge: checkNumber(`${where}.resetMaxAge`, config.resetMaxAge, 60 * 60),
    captchaOn,
  });
}

/** The store a feature needs; otherwise a TypeError naming the adapter's first missing method, the fix listing them all. */
function requireStore<S extends StoreName>(adapter: Adapter, stores: Stores, store: S, fix: (missing: string) => string): NonNullable<Stores[S]> {
  const found = stores[store];
  if (found) return found;
  const missing = missingMethods(adapter, store);
  return fail(`adapter.${String(missing[0])}`, 'is missing', fix(missing.join(', ')), 'MISSING_ADAPTER_METHODS_ERROR');
}

function isLoopbackOnly(spec: OAuthSpec): boolean {
  return [spec.discoveryUrl, spec.authorization.url, spec.token.url].every((u) => !u || isLoopbackUrl(u));
}

interface ProviderNeeds {
  readonly adapter: Adapter | undefined;
  readonly stores: Stores;
  readonly secrets: Secrets;
  readonly logger: Logger;
  readonly storeTimeout: number;
  readonly rateLimit: ResolvedRateLimit | undefined;
}

/**
 * Each provider as its type needs it: an OAuth provider normalized (a misconfiguration is a
 * TypeError naming the option) and, with an adapter, the user and account stores; an email
 * provider with its token and user stores and the secrets that hash its tokens.
 */
function typedProvider({ id, name, config }: CheckedProvider, needs: ProviderNeeds): ResolvedProvider {
  if (config.type === 'credentials') return Object.freeze({ id, name, type: config.type, config });
  if (config.type === 'password') return passwordProvider(id, name, config, needs);
  if (config.type === 'webauthn') return Object.freeze({ id, name, type: config.type, config, ...resolvePasskey(id, config, needs.adapter, needs.stores.users, needs.storeTimeout) });
  const { adapter, stores } = needs;
  if (config.type === 'email') {
    if (!adapter) {
      fail('adapter', 'is required by the email provider', `Magic-link tokens are stored: add ${BUILT_IN_ADAPTERS}, e.g. \`adapter: sqliteAdapter('auth.sqlite')\`.`, 'EMAIL_REQUIRES_ADAPTER_ERROR');
    }
    const tokens = requireStore(adapter, stores, 'verificationTokens', (missing) => `The email provider stores and spends its tokens with ${missing}: add them to your adapter, or use ${BUILT_IN_ADAPTERS}.`);
    const users = requireStore(adapter, stores, 'users', (missing) => `The email provider finds, creates and verifies users with ${missing}: add them to your adapter, or use ${BUILT_IN_ADAPTERS}.`);
    const secrets: Secrets = config.secret ? [config.secret] : needs.secrets;
    if (config.code !== undefined && typeof config.code !== 'boolean') fail(`providers.${id}.code`, 'is not a boolean', 'Pass `code: true` to mail a sign-in code beside the link.');
    const codes = config.code === true ? Object.freeze({ leases: stepUpStore(adapter, needs.storeTimeout), attempts: needs.rateLimit?.store ?? memoryRateLimitStore() }) : undefined;
    return Object.freeze({ id, name, type: config.type, config, secrets, tokens, users, codes });
  }
  const spec = normalizeProvider(config);
  if (spec.insecure && !isLoopbackOnly(spec)) {
    needs.logger.warn('OAUTH_INSECURE_HTTP', { provider: id, message: 'dangerouslyAllowInsecureHttp is on: tokens cross the network unencrypted.' });
  }
  const fix = (missing: string) => `Signing in with "${id}" stores the user and links the account with ${missing}: add them to your adapter, or use ${BUILT_IN_ADAPTERS}.`;
  const linking = adapter ? { users: requireStore(adapter, stores, 'users', fix), accounts: requireStore(adapter, stores, 'accounts', fix), signUps: stores.signUps, markers: stores.verificationTokens } : undefined;
  return Object.freeze({ id, name, type: config.type, config, spec, linking });
}

function resolveSecret(config: AuthConfig, env: Env, production: boolean, logger: Logger): Secrets {
  const fromConfig = config.secret ?? config.jwt?.secret;
  if (fromConfig !== undefined) {
    const [first, ...rest] = secretList(fromConfig);
    if (first === undefined) return fail('secret', 'is empty', 'Set a long random string, e.g. `openssl rand -base64 33`.');
    return [first, ...rest];
  }
  const fromEnv = env.AUTH_SECRET ?? env.NEXTAUTH_SECRET;
  if (fromEnv) return [fromEnv];
  if (production) {
    fail('secret', 'is not set (NODE_ENV=production)', 'Set `secret` or the AUTH_SECRET / NEXTAUTH_SECRET environment variable to a long random string, e.g. `openssl rand -base64 33`.', 'NO_SECRET');
  }
  logger.warn('NO_SECRET', {
    message: 'No secret configured: using a random one for this process. Sessions end when it restarts. Set AUTH_SECRET before production.',
  });
  return [base64urlEncode(randomBytes(32))];
}

function resolveUrl(config: AuthConfig, env: Env): BaseUrl | undefined {
  const raw = config.url ?? env.NEXTAUTH_URL ?? env.AUTH_URL;
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseBaseUrl(raw);
  } catch {
    return fail('url', `(${config.url ? 'config' : 'NEXTAUTH_URL / AUTH_URL'}) is not a URL`, 'Use the absolute URL of the auth API, e.g. https://example.com/api/auth.');
  }
}

function checkPages(pages: Pages | undefined): Pages {
  const out: Pages = {};
  for (const [key, value] of Object.entries(pages ?? {})) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || !(value.startsWith('/') || /^https?:\/\//i.test(value)) || value.startsWith('//')) {
      fail(`pages.${key}`, 'must be a path starting with / or an http(s) URL', 'E.g. `pages: { signIn: "/login" }`.');
    }
    (out as Record<string, string>)[key] = value;
  }
  return Object.freeze(out);
}

function checkNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(option, 'must be a non-negative number of seconds', `The default is ${fallback}.`);
  return value;
}

function rule(option: string, value: { limit: number; window: number } | false | undefined, fallback: RateRule): RateRule | undefined {
  if (value === false) return undefined;
  if (value === undefined) return fallback;
  if (!Number.isInteger(value.limit) || value.limit < 1 || !(value.window > 0)) {
    fail(option, 'must be { limit: integer ≥ 1, window: seconds > 0 } or false', `The default is ${JSON.stringify(fallback)}.`);
  }
  return { limit: value.limit, window: value.window };
}

function resolveStoreTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_STORE_TIMEOUT_MS;
  // setTimeout's ceiling is 2^31 - 1 ms; a longer value would fire at once.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    fail('storeTimeout', `is ${JSON.stringify(value)}`, `Use milliseconds, an integer from 1 (the default is ${DEFAULT_STORE_TIMEOUT_MS}).`);
  }
  return value;
}

function resolveRateLimit(option: AuthConfig['rateLimit'], storeTimeout: number): ResolvedRateLimit | undefined {
  if (option === false) return undefined;
  const o = option ?? {};
  const header = o.ipHeader?.toLowerCase();
  const clientIp: ResolvedRateLimit['clientIp'] = (readHeader, request, fallback) => {
    if (o.clientIp) return o.clientIp(request()) ?? undefined;
    if (header) {
      const values = readHeader(header)?.split(',');
      return values?.[values.length - 1]?.trim() || undefined;
    }
    return fallback;
  };
  if (o.store !== undefined) {
    for (const method of ['hit', 'peek', 'refund', 'reset'] as const) {
      if (typeof (o.store as Partial<RateLimitStore> | null)?.[method] !== 'function') {
        fail(`rateLimit.store.${method}`, 'is missing', 'A rate-limit store needs hit, peek, refund and reset (see RateLimitStore), e.g. `adapter.rateLimitStore()`.');
      }
    }
  }
  const credentialsPerIp = rule('rateLimit.credentials.perIp', o.credentials?.perIp, RATE_DEFAULTS.credentialsPerIp);
  const emailPerIp = rule('rateLimit.email.perIp', o.email?.perIp, RATE_DEFAULTS.emailPerIp);
  return Object.freeze({
    store: o.store ? bounded(o.store, storeTimeout, 'rateLimit.store') : memoryRateLimitStore(),
    clientIp,
    credentialsPerIp,
    credentialsPerIdentifier: rule('rateLimit.credentials.perIdentifier', o.credentials?.perIdentifier, RATE_DEFAULTS.credentialsPerIdentifier),
    emailPerIp,
    emailPerAddress: rule('rateLimit.email.perAddress', o.email?.perAddress, RATE_DEFAULTS.emailPerAddress),
    needsClientAddress: !o.clientIp && !header && (credentialsPerIp !== undefined || emailPerIp !== undefined),
  });
}

const defaultSessionCallback: ResolvedConfig['callbacks']['session'] = ({ session }) => session;
const defaultJwtCallback: ResolvedConfig['callbacks']['jwt'] = ({ token }) => token;
const defaultSignInCallback: ResolvedConfig['callbacks']['signIn'] = () => true;

// Workers without nodejs_compat have no `process`: their secrets come as bindings, passed in the options.
export function resolveConfig(config: AuthConfig, env: Env = globalThis.process?.env ?? {}): ResolvedConfig {
  if (!config || typeof config !== 'object') fail('config', 'is missing', 'Call createAuth({ providers: [...] }).');
  const production = env.NODE_ENV === 'production';
  const debug = config.debug === true;
  const logger = createLogger(config.logger, debug);
  const providers = resolveProviders(config.providers);
  const secrets = resolveSecret(config, env, production, logger);
  const url = resolveUrl(config, env);
  const storeTimeout = resolveStoreTimeout(config.storeTimeout);
  if (config.adapter !== undefined && (typeof config.adapter !== 'object' || config.adapter === null))
    fail('adapter', 'is not an object', `Pass ${BUILT_IN_ADAPTERS}, e.g. \`sqliteAdapter('auth.sqlite')\`, or your own.`);
  // Every adapter call the flows make goes through the deadline; the caller's object is untouched.
  const adapter = config.adapter && bounded(config.adapter, storeTimeout, 'adapter');

  const stores = resolveStores(adapter);

  const strategyName = config.session?.strategy ?? (adapter ? 'database' : 'jwt');
  if (strategyName !== 'jwt' && strategyName !== 'database') fail('session.strategy', `is ${JSON.stringify(strategyName)}`, 'Use "jwt" or "database".');
  let strategy: SessionStrategyConfig = { kind: 'jwt' };
  if (strategyName === 'database') {
    if (!adapter) fail('session.strategy', 'is "database" but no `adapter` is set', `Add ${BUILT_IN_ADAPTERS}, or use strategy "jwt".`);
    strategy = {
      kind: 'database',
      store: requireStore(adapter, stores, 'sessions', (missing) => `Database sessions need ${missing}: add them, use ${BUILT_IN_ADAPTERS}, or strategy "jwt".`),
    };
  }
  const rateLimit = resolveRateLimit(config.rateLimit, storeTimeout);
  const typed = providers.map((provider) => typedProvider(provider, { adapter, stores, secrets, logger, storeTimeout, rateLimit }));

  const maxAge = checkNumber('session.maxAge', config.session?.maxAge, DEFAULT_MAX_AGE);
  const updateAge = checkNumber('session.updateAge', config.session?.updateAge, 24 * 60 * 60);
  const jwtMaxAge = checkNumber('jwt.maxAge', config.jwt?.maxAge, maxAge);

  const allowedHosts = config.allowedHosts === undefined ? undefined : new Set(config.allowedHosts.map((h) => String(h).toLowerCase()));
  const trustHost = config.trustHost ?? truthy(env.AUTH_TRUST_HOST);
  const basePath = normalizeBasePath(config.basePath ?? DEFAULT_BASE_PATH);
  if (!url && !trustHost && !allowedHosts) {
    // v4's code for the same gap; gatehouse answers only loopback hosts meanwhile (v4 used localhost:3000).
    logger.warn('NEXTAUTH_URL', {
      message: 'No `url` / NEXTAUTH_URL: only loopback hosts are served. Set NEXTAUTH_URL, `trustHost` behind a proxy you control, or `allowedHosts`.',
    });
  }
  if (debug) {
    logger.warn('DEBUG_ENABLED', {
      message: 'debug is on: debug lines go to the logger (redacted). Turn it off in production, e.g. `debug: process.env.NODE_ENV !== "production"`.',
    });
  }

  for (const name of ['signIn', 'redirect', 'session', 'jwt'] as const) {
    const fn = config.callbacks?.[name];
    if (fn !== undefined && typeof fn !== 'function') fail(`callbacks.${name}`, 'is not a function', 'Pass a function or leave it out.');
  }
  const userRedirect = config.callbacks?.redirect;
  const callbacks = Object.freeze({
    signIn: config.callbacks?.signIn ?? defaultSignInCallback,
    redirect: userRedirect ?? (({ url: target, baseUrl }: { url: string; baseUrl: string }) => defaultRedirect(target, baseUrl)),
    session: config.callbacks?.session ?? defaultSessionCallback,
    jwt: config.callbacks?.jwt ?? defaultJwtCallback,
  });

  const customEncode = config.jwt?.encode;
  const customDecode = config.jwt?.decode;

  const resolved: ResolvedConfig = {
    providers: typed,
    providerById: new Map(typed.map((p) => [p.id, p])),
    secrets,
    sessionKeys: deriveKeys(secrets),
    strategy: Object.freeze(strategy),
    maxAge,
    updateAge,
    jwtMaxAge,
    generateSessionToken: config.session?.generateSessionToken ?? (() => randomToken()),
    jwtEncode: customEncode ? async (params) => customEncode(params) : undefined,
    jwtDecode: customDecode ? async (params) => (await customDecode(params)) ?? null : undefined,
    stores,
    callbacks,
    events: Object.freeze({ ...(config.events ?? {}) }),
    pages: checkPages(config.pages),
    theme: Object.freeze({ colorScheme: 'auto', ...(config.theme ?? {}) }),
    logger,
    debug,
    url,
    trustHost,
    allowedHosts,
    basePath: url?.path ?? basePath,
    cookies: Object.freeze({
      secure: mergeCookies(defaultCookies(true), config.cookies),
      insecure: mergeCookies(defaultCookies(false), config.cookies),
    }),
    useSecureCookies: config.useSecureCookies,
    production,
    storeTimeout,
    rateLimit,
    sessionIndex: resolveSessionIndex(config.sessions, adapter, storeTimeout),
    twoFactor: resolveTwoFactor(config.twoFactor, { adapter, secrets, url, rateLimit: rateLimit?.store, storeTimeout, mail: typed.find((p) => p.type === 'email')?.config }),
    locales: resolveLocales(config.locale, config.messages),
    stepUp: Object.freeze({ store: stepUpStore(adapter, storeTimeout) }),
    pendingSignOuts: createRetryQueue((key, reason) =>
      logger.error('SIGNOUT_RETRY_ABANDONED', { message: reason === 'full' ? 'too many sign-outs pending: the oldest was dropped' : 'the session expired before its sign-out reached the store', sessionId: key }),
    ),
    caches: Object.freeze({ openedSessions: new OpenedTokenCache(), providersJson: new Map(), oauthServers: new Map(), oauthServerFailures: new Map(), authjsKeys: new Map() }),
  };
  return Object.freeze(resolved);
}

export type { Session };
