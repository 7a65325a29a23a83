// The generic OAuth 2.0 provider (explicit authorization, token and userinfo endpoints) and the merge every preset uses.
import { mergeProviderOptions } from '../core/merge.js';
import type { OAuthConfig, Profile } from '../types.js';

/**
 * Gatehouse's additions to v4's OAuth options. Everything else is next-auth v4's provider config,
 * read unchanged.
 */
export interface OAuthExtras {
  /**
   * Plain-http endpoints on a host other than loopback (e.g. `http://keycloak:8080` in a compose
   * network). Off by default: tokens and the client secret would cross the network in clear.
   * Loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`) are allowed without it.
   */
  dangerouslyAllowInsecureHttp?: boolean;
  /** Fetch used for every request to the provider (discovery, token, userinfo, JWKS): proxies, tracing, tests. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /**
   * OpenID Connect RP-initiated logout: POST `signout` sends the user on to the provider's
   * `end_session_endpoint` with `id_token_hint`. `postLogoutRedirectUri` (default: the sign-out
   * callback URL) passes the redirect callback and must be registered at the provider.
   */
  rpLogout?: boolean | { postLogoutRedirectUri?: string };
  /** v4's openid-client option; `timeout` (ms) bounds each request to the provider (default 10 s). */
  httpOptions?: { timeout?: number };
}

/** What a user passes to a preset: v4's options (client id and secret, overrides), plus gatehouse's extras. */
export type OAuthUserConfig<P extends Profile = Profile> = Partial<Omit<KnownKeys<OAuthConfig<P>>, 'type' | 'options'>> & OAuthExtras & { clientId: string; clientSecret?: string; [option: string]: unknown };

/** The declared keys of a type with an index signature (`Omit` on such a type would keep only the signature). */
type KnownKeys<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** The tokens a provider hook sees: v4's TokenSet fields, with `claims()` for the ID token's claims. */
export interface ProviderTokens {
  access_token?: string;
  token_type?: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  expires_at?: number;
  claims?: () => Record<string, unknown>;
  [key: string]: unknown;
}

/** What `userinfo.request` receives: v4's `{provider, tokens, client}`, plus the provider's `fetch`. */
export interface UserinfoContext {
  tokens: ProviderTokens;
  client: { userinfo(accessToken: string | { access_token?: string }, options?: { params?: Record<string, string> }): Promise<Profile> };
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  provider: Record<string, unknown>;
}

/** The fetch a preset's own extra requests use: the one the user configured, else the global. */
export function fetchOf(options: OAuthExtras | undefined): (input: string, init?: RequestInit) => Promise<Response> {
  return options?.fetch ?? ((input, init) => fetch(input, init));
}

/**
 * A preset's defaults deep-merged with the user's options, as v4 merges them (so
 * `authorization: { params: { prompt: 'consent' } }` keeps the preset's URL and scope). The
 * result carries no `options` key: it is complete, and nothing is merged over it again.
 */
export function withUserOptions<P extends Profile>(defaults: OAuthConfig<P>, options: OAuthUserConfig<P> | undefined): OAuthConfig<P> {
  const { options: _nested, ...user } = (options ?? {}) as OAuthUserConfig<P> & { options?: unknown };
  return Object.freeze(mergeProviderOptions(defaults, user)) as OAuthConfig<P>;
}

/**
 * A generic OAuth 2.0 provider, e.g.
 * `OAuth({ id: 'acme', name: 'Acme', clientId, clientSecret, authorization: 'https://acme.example/oauth/authorize',
 * token: 'https://acme.example/oauth/token', userinfo: 'https://api.acme.example/me', checks: ['state', 'pkce'] })`.
 * Without `profile`, the user is `{id: sub ?? id, name, email, image: picture}` of the userinfo answer.
 */
export default function OAuth<P extends Profile = Profile>(options: OAuthUserConfig<P> & { id?: string; name?: string }): OAuthConfig<P> {
  return withUserOptions<P>({ id: 'oauth', name: 'OAuth', type: 'oauth', checks: ['state', 'pkce'] }, options);
}
