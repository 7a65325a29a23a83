// gatehouse-auth/oauth: OAuth token refresh beyond next-auth v4: single flight per refresh token, in one process or across instances.
import type { Awaitable, OAuthConfig } from './types.js';
import { normalizeProvider, type OAuthSpec, type Server, type TokenSet } from './core/oauth/spec.js';
import { resolveServer } from './services/oauth/discovery.js';
import { refreshTokens } from './services/oauth/tokens.js';
import { resolveProviderOptions } from './core/merge.js';
import { sharedRefresh, type SharedRefreshOptions } from './refresh-lease.js';

export type { TokenSet } from './core/oauth/spec.js';
export type { SharedRefreshOptions } from './refresh-lease.js';
export type { LeaseStore } from './adapters/types.js';

export interface TokenRefresherOptions {
  /**
   * Called once per refresh that reached the token endpoint, inside the single flight, with the
   * new tokens and the refresh token they replace: the place to write them to a database account
   * row (the JWT strategy needs nothing here, every session response carries the new tokens).
   */
  onRefresh?: (tokens: TokenSet, previousRefreshToken: string) => Awaitable<void>;
  /**
   * How long (seconds) the answer for a refresh token is reused after it arrived, for requests
   * that were already in flight with the old cookie. With rotating refresh tokens the old one is
   * spent, and a second exchange would fail or, at many IdPs, revoke the whole grant
   * (RFC 9700 §4.14.2). Default 30.
   */
  reuseSeconds?: number;
  /**
   * Single flight across instances (several processes behind a load balancer): a short lease in a
   * store they share, `{ store: adapter.leaseStore(), secret }`. The instance that takes it asks the
   * IdP; the others wait for its answer, sealed in the store with `secret` for `reuseSeconds`.
   * Without it, single flight holds within one process only.
   */
  shared?: SharedRefreshOptions;
}

export interface TokenRefresher {
  /**
   * Exchanges a refresh token (RFC 6749 §6). Concurrent calls with the same refresh token share
   * one request to the token endpoint and all get its answer. Rejects when the IdP refuses.
   */
  refresh(refreshToken: string): Promise<TokenSet>;
  /**
   * For the `jwt` callback: the token unchanged while `expires_at` is more than `leewaySeconds`
   * (default 60) away, else the token with fresh `access_token`, `expires_at` and (rotated)
   * `refresh_token`. A failed refresh keeps the old values and adds `error: "RefreshAccessTokenError"`.
   */
  ifExpired<T extends RefreshableToken>(token: T, leewaySeconds?: number): Promise<T & { error?: string }>;
}

export interface RefreshableToken {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_at?: unknown;
  id_token?: unknown;
  [key: string]: unknown;
}

const MAX_REMEMBERED = 10_000;

/**
 * One refresher per provider and process: `const refresher = createTokenRefresher(google)`, then
 * `jwt: ({ token, account }) => account ? {...token, ...pick(account)} : refresher.ifExpired(token)`.
 * Single flight holds within one process; with `shared` (a gatehouse adapter's `leaseStore()`), across
 * every instance that shares the store.
 */
export function createTokenRefresher(provider: OAuthConfig, options: TokenRefresherOptions = {}): TokenRefresher {
  // The provider as createAuth resolves it: a v4 factory's `options` deep-merged over its defaults.
  const merged = resolveProviderOptions(provider) as unknown as OAuthConfig;
  let spec: OAuthSpec | undefined;
  let server: Promise<Server> | undefined;
  const inFlight = new Map<string, Promise<TokenSet>>();
  const recent = new Map<string, { tokens: TokenSet; until: number }>();
  const reuseMs = (options.reuseSeconds ?? 30) * 1000;
  const acrossInstances = options.shared ? sharedRefresh(options.shared, reuseMs) : undefined;

  const serverOnce = (): Promise<Server> => {
    spec ??= normalizeProvider(merged);
    if (!server) {
      const pending = resolveServer(spec);
      server = pending;
      pending.catch(() => {
        if (server === pending) server = undefined;
      });
    }
    return server;
  };

  const prune = (now: number) => {
    for (const [key, entry] of recent) if (entry.until <= now || recent.size > MAX_REMEMBERED) recent.delete(key);
  };

  const refresh = (refreshToken: string): Promise<TokenSet> => {
    if (typeof refreshToken !== 'string' || refreshToken === '') return Promise.reject(new TypeError('no refresh token'));
    const now = Date.now();
    const remembered = recent.get(refreshToken);
    if (remembered && remembered.until > now) return Promise.resolve({ ...remembered.tokens });
    const pending = inFlight.get(refreshToken);
    if (pending) return pending.then((tokens) => ({ ...tokens }));
    const started = (async () => {
      const exchange = async () => {
        const resolved = await serverOnce();
        const tokens = await refreshTokens(resolved, spec!, refreshToken);
        await options.onRefresh?.(tokens, refreshToken);
        return tokens;
      };
      const tokens = acrossInstances ? await acrossInstances(refreshToken, exchange) : await exchange();
      prune(Date.now());
      recent.set(refreshToken, { tokens, until: Date.now() + reuseMs });
      return tokens;
    })();
    inFlight.set(refreshToken, started);
    // Removed whatever the outcome, so a failure is not served to later callers.
    started.then(
      () => inFlight.delete(refreshToken),
      () => inFlight.delete(refreshToken),
    );
    return started.then((tokens) => ({ ...tokens }));
  };

  return {
    refresh,
    async ifExpired<T extends RefreshableToken>(token: T, leewaySeconds = 60): Promise<T & { error?: string }> {
      const expiresAt = typeof token.expires_at === 'number' ? token.expires_at : undefined;
      if (expiresAt !== undefined && expiresAt - leewaySeconds > Date.now() / 1000) return token;
      if (typeof token.refresh_token !== 'string') return { ...token, error: 'RefreshAccessTokenError' };
      try {
        const tokens = await refresh(token.refresh_token);
        const { error: _previousError, ...rest } = token;
        return {
          ...(rest as T),
          access_token: tokens.access_token,
          expires_at: tokens.expires_at,
          refresh_token: tokens.refresh_token,
          ...(tokens.id_token !== undefined ? { id_token: tokens.id_token } : {}),
        };
      } catch {
        return { ...token, error: 'RefreshAccessTokenError' };
      }
    },
  };
}
