// One OAuth/OIDC provider as gatehouse runs it: v4's provider options read once into an `OAuthSpec`, every default applied, every URL parsed.
import type * as o from 'oauth4webapi';
import type { Awaitable, OAuthConfig, Profile, User } from '../../types.js';
import type { CheckKind } from '../checks.js';
import { isLoopbackUrl } from '../url.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A request hook as v4 configs write them (`userinfo.request`, `token.request`): it gets a context and returns data. */
type RequestHook = (context: Record<string, unknown>) => Awaitable<unknown>;

export interface Endpoint {
  url: string | undefined;
  params: Record<string, string>;
  request: RequestHook | undefined;
}

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** One OAuth/OIDC provider after normalization: every default applied, every URL parsed. */
export interface OAuthSpec {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The configured issuer; undefined for plain OAuth 2.0 servers that have none. */
  issuer: string | undefined;
  /** Where the discovery document is fetched from; undefined when every endpoint is configured. */
  discoveryUrl: string | undefined;
  authorization: Endpoint;
  token: Endpoint;
  userinfo: Endpoint;
  jwksUri: string | undefined;
  checks: ReadonlySet<CheckKind>;
  /** OpenID Connect: an ID token is required and validated (claims, signature, nonce). */
  idToken: boolean;
  /** Where the profile comes from when no `userinfo.request` hook is set. */
  profileSource: 'idToken' | 'userinfo';
  clientAuth: ClientAuthMethod;
  /** Extra client metadata for oauth4webapi (e.g. `id_token_signed_response_alg`). */
  clientMetadata: Record<string, o.JsonValue>;
  profile: (profile: Profile, tokens: TokenSet) => Awaitable<User>;
  /** `form_post` (Apple): the IdP POSTs the response to the callback. */
  responseMode: string | undefined;
  /** Plain-http endpoints allowed: loopback hosts, or the explicit `dangerouslyAllowInsecureHttp`. */
  insecure: boolean;
  timeout: number;
  fetch: FetchLike;
  /** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), when the app opts in. */
  rpLogout: { postLogoutRedirectUri: string | undefined } | undefined;
}

/** Tokens as v4 hands them to callbacks and adapters: `expires_at` (epoch seconds) instead of `expires_in`. */
export interface TokenSet {
  access_token?: string;
  token_type?: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  expires_at?: number;
  [key: string]: unknown;
}

/** v4's openid-client timed out after 3.5 s; a little more room for slow IdPs, still far from a hung request. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Authorization server metadata plus what gatehouse learned while resolving it. */
export interface Server {
  as: o.AuthorizationServer;
  /** False for a plain OAuth 2.0 server configured without `issuer`: its `iss` cannot be checked. */
  issuerKnown: boolean;
  /** Microsoft Entra multi-tenant: the issuer is `…/{tenantid}/v2.0`, filled from each ID token's `tid`. */
  issuerTemplate: string | undefined;
}

function fail(provider: string, option: string, problem: string, fix: string): never {
  throw new TypeError(`gatehouse: provider "${provider}" \`${option}\` ${problem}. ${fix}`);
}

/** Authorization parameters as strings: arrays are space-joined (scopes), objects JSON (the OIDC `claims` parameter). */
export function stringifyParams(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!params || typeof params !== 'object') return out;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map(String).join(' ');
    else if (typeof value === 'object') out[key] = JSON.stringify(value);
    else out[key] = String(value);
  }
  return out;
}

/** v4's endpoint forms: a URL string (its query becomes params) or `{url, params, request}`. */
export function normalizeEndpoint(value: unknown): Endpoint {
  if (typeof value === 'string') {
    const url = new URL(value.trim());
    return { url: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams), request: undefined };
  }
  if (value && typeof value === 'object') {
    const { url, params, request } = value as { url?: unknown; params?: unknown; request?: unknown };
    let base: string | undefined;
    let fromUrl: Record<string, string> = {};
    if (typeof url === 'string' && url.trim() !== '') {
      const parsed = new URL(url.trim());
      base = `${parsed.origin}${parsed.pathname}`;
      fromUrl = Object.fromEntries(parsed.searchParams);
    }
    return { url: base, params: { ...fromUrl, ...stringifyParams(params) }, request: typeof request === 'function' ? (request as RequestHook) : undefined };
  }
  return { url: undefined, params: {}, request: undefined };
}

const CHECKS: ReadonlySet<string> = new Set(['state', 'pkce', 'nonce', 'none']);

function defaultProfile(profile: Profile): User {
  const id = profile.sub ?? profile.id;
  return {
    id: id === undefined || id === null ? '' : String(id),
    name: (profile.name as string | undefined) ?? (profile.preferred_username as string | undefined) ?? (profile.login as string | undefined) ?? null,
    email: (profile.email as string | undefined) ?? null,
    image: (profile.picture as string | undefined) ?? (profile.image as string | undefined) ?? (profile.avatar_url as string | undefined) ?? null,
  };
}

/** String and `{url, params, request}` endpoints parsed; a URL that does not parse is a misconfiguration. */
function endpointsOf(config: OAuthConfig): { authorization: Endpoint; token: Endpoint; userinfo: Endpoint } {
  try {
    return { authorization: normalizeEndpoint(config.authorization), token: normalizeEndpoint(config.token), userinfo: normalizeEndpoint(config.userinfo) };
  } catch {
    return fail(config.id, 'authorization/token/userinfo', 'holds a URL that does not parse', 'Use absolute https:// URLs.');
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Where the discovery document is: `wellKnown` when given, else the issuer's for an OIDC provider
 * that lacks an endpoint (OIDC Discovery 1.0 §4). Without either, both endpoints must be configured.
 */
function discoveryUrlOf(config: OAuthConfig, issuer: string | undefined, wellKnown: string | undefined, endpoints: { authorization: Endpoint; token: Endpoint }): string | undefined {
  const complete = endpoints.authorization.url !== undefined && endpoints.token.url !== undefined;
  const isOidcType = config.type === 'oidc';
  let discoveryUrl = wellKnown;
  if (discoveryUrl === undefined && isOidcType && issuer && !complete) discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  if (discoveryUrl === undefined && !complete) {
    const fix = isOidcType ? 'Set `issuer` for discovery.' : 'Set `authorization` and `token` URLs, or `wellKnown` / `issuer` with type "oidc".';
    fail(config.id, 'authorization / token', 'is missing', fix);
  }
  return discoveryUrl;
}

/** v4's `checks`: one value or a list, default `["state"]`; `"none"` means no check. */
function checksOf(config: OAuthConfig): Set<CheckKind> {
  let rawChecks: readonly string[] = ['state'];
  if (Array.isArray(config.checks)) rawChecks = config.checks;
  else if (config.checks !== undefined) rawChecks = [config.checks];
  for (const check of rawChecks) if (!CHECKS.has(check)) fail(config.id, 'checks', `contains ${JSON.stringify(check)}`, 'Use "state", "pkce", "nonce" or "none".');
  return new Set(rawChecks.filter((c): c is CheckKind => c !== 'none'));
}

/**
 * v4: `idToken` says "this provider is OpenID Connect" (a `wellKnown` openid-configuration or an
 * `openid` scope imply it). For type "oidc" the ID token is always validated; `idToken: false`
 * only moves the profile to userinfo.
 */
function isOpenIdConnect(config: OAuthConfig, wellKnown: string | undefined, scope: string): boolean {
  if (config.type === 'oidc') return true;
  if (typeof config.idToken === 'boolean') return config.idToken;
  if (wellKnown !== undefined) return wellKnown.includes('openid-configuration');
  return scope.split(/\s+/).includes('openid');
}

function profileSourceOf(config: OAuthConfig, idToken: boolean): OAuthSpec['profileSource'] {
  if (config.idToken === false) return 'userinfo';
  return idToken ? 'idToken' : 'userinfo';
}

/** Without discovery an ID token can only be validated against configured values: the issuer, and keys unless HMAC. */
function requireIdTokenValues(config: OAuthConfig, issuer: string | undefined, clientMetadata: Record<string, unknown>): void {
  if (!issuer) fail(config.id, 'issuer', 'is missing for an OpenID Connect provider', 'Set `issuer` (the ID token `iss`), or `wellKnown`, or `idToken: false`.');
  const alg = clientMetadata.id_token_signed_response_alg;
  const hmac = typeof alg === 'string' && alg.startsWith('HS');
  if (!config.jwks_endpoint && !hmac) fail(config.id, 'jwks_endpoint', 'is missing for an OpenID Connect provider', "Set it to the issuer's JWKS URL, or `wellKnown` for discovery.");
}

/** Client authentication: as configured, else Basic with a secret and none without; a public client must use PKCE. */
function clientAuthMethodOf(config: OAuthConfig, method: ClientAuthMethod | undefined, clientSecret: string | undefined, checks: ReadonlySet<CheckKind>): ClientAuthMethod {
  const clientAuth: ClientAuthMethod = method ?? (clientSecret === undefined ? 'none' : 'client_secret_basic');
  if (clientAuth !== 'none' && clientSecret === undefined) fail(config.id, 'clientSecret', 'is missing', `Set it, or \`client: { token_endpoint_auth_method: "none" }\` for a public client (with PKCE).`);
  if (clientAuth === 'none' && !checks.has('pkce')) fail(config.id, 'checks', 'lacks "pkce" for a public client', 'A client without a secret must use PKCE (RFC 9700 §2.1.1).');
  return clientAuth;
}

/** Plain http only to loopback hosts unless `dangerouslyAllowInsecureHttp`: tokens and the client secret would cross the network in clear. */
function insecureAllowed(config: OAuthConfig & Record<string, unknown>, endpoints: readonly string[]): boolean {
  const dangerous = config.dangerouslyAllowInsecureHttp === true;
  const plainHttp = endpoints.find((u) => u.startsWith('http:') && !isLoopbackUrl(u));
  if (plainHttp && !dangerous) {
    fail(config.id, 'issuer/endpoints', `use plain http (${new URL(plainHttp).host})`, 'Use https, or set `dangerouslyAllowInsecureHttp: true` for a network you trust (tokens and the client secret cross it in clear).');
  }
  return dangerous || endpoints.every(isLoopbackUrl);
}

function timeoutOf(config: OAuthConfig & Record<string, unknown>): number {
  const httpOptions = config.httpOptions as { timeout?: unknown } | undefined;
  return typeof httpOptions?.timeout === 'number' && httpOptions.timeout > 0 ? httpOptions.timeout : DEFAULT_TIMEOUT_MS;
}

/** `rpLogout: true` or `{ postLogoutRedirectUri }` opts in to RP-initiated logout; anything else leaves it off. */
function rpLogoutOf(value: unknown): OAuthSpec['rpLogout'] {
  if (value === true) return { postLogoutRedirectUri: undefined };
  if (!value || typeof value !== 'object') return undefined;
  const uri = (value as { postLogoutRedirectUri?: unknown }).postLogoutRedirectUri;
  return { postLogoutRedirectUri: typeof uri === 'string' ? uri : undefined };
}

/**
 * Reads an OAuth provider in next-auth v4's shape (or gatehouse's `oidc` type) and applies v4's
 * defaults, one named step each: endpoints split into URL and params, discovery, `checks` (default
 * `["state"]`), OpenID Connect inferred from an openid-configuration `wellKnown` or an `openid`
 * scope, client authentication, transport. A misconfiguration is a TypeError naming the option.
 */
export function normalizeProvider(config: OAuthConfig): OAuthSpec {
  const id = config.id;
  const raw = config as OAuthConfig & Record<string, unknown>;
  if (typeof config.clientId !== 'string' || config.clientId === '') fail(id, 'clientId', 'is missing', 'Set the client id your identity provider issued.');
  if (typeof raw.version === 'string' && raw.version.startsWith('1.')) {
    fail(id, 'version', `is "${raw.version}" (OAuth 1.0a)`, "gatehouse speaks OAuth 2.0 and OpenID Connect only; use the provider's OAuth 2.0 app.");
  }
  const { authorization, token, userinfo } = endpointsOf(config);
  const issuer = nonEmpty(config.issuer);
  const wellKnown = nonEmpty(config.wellKnown);
  const discoveryUrl = discoveryUrlOf(config, issuer, wellKnown, { authorization, token });
  const checks = checksOf(config);
  const idToken = isOpenIdConnect(config, wellKnown, authorization.params.scope ?? '');
  if (checks.has('nonce') && !idToken) fail(id, 'checks', 'contains "nonce" but the provider is not OpenID Connect', 'A nonce is checked in the ID token: use type "oidc" (or `idToken: true`), or drop "nonce".');
  if (config.type === 'oidc' && authorization.params.scope === undefined) authorization.params.scope = 'openid profile email';
  const { token_endpoint_auth_method: method, ...clientMetadata } = config.client ?? {};
  if (idToken && !discoveryUrl) requireIdTokenValues(config, issuer, clientMetadata);
  const clientSecret = nonEmpty(config.clientSecret);
  const endpoints = [discoveryUrl, authorization.url, token.url, userinfo.url, config.jwks_endpoint].filter((u): u is string => typeof u === 'string');
  return {
    id,
    name: config.name,
    clientId: config.clientId,
    clientSecret,
    issuer,
    discoveryUrl,
    authorization,
    token,
    userinfo,
    jwksUri: typeof config.jwks_endpoint === 'string' ? config.jwks_endpoint : undefined,
    checks,
    idToken,
    profileSource: profileSourceOf(config, idToken),
    clientAuth: clientAuthMethodOf(config, method, clientSecret, checks),
    clientMetadata: clientMetadata as Record<string, o.JsonValue>,
    profile: (typeof config.profile === 'function' ? config.profile : defaultProfile) as OAuthSpec['profile'],
    responseMode: authorization.params.response_mode,
    insecure: insecureAllowed(raw, endpoints),
    timeout: timeoutOf(raw),
    fetch: typeof raw.fetch === 'function' ? (raw.fetch as FetchLike) : (input, init) => fetch(input, init),
    rpLogout: rpLogoutOf(raw.rpLogout),
  };
}
