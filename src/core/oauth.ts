// OAuth 2.0 / OpenID Connect protocol steps on oauth4webapi: provider normalization, discovery, authorization URL, code exchange, userinfo, refresh, logout URL.
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import * as o from 'oauth4webapi';
import type { Awaitable, OAuthConfig, Profile, User } from '../types.js';
import type { CheckKind } from './checks.js';
import { base64Encode } from './crypto.js';
import { isLoopbackUrl } from './url.js';
import { OAuthProtocolError } from '../errors.js';

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

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

/**
 * Parameters the protocol owns. The query of POST `signin/:id` (the client's third `signIn`
 * argument) may not set them: v4 let it replace `redirect_uri` or the checks (packages/next-auth/src/core/lib/oauth/authorization-url.ts on branch v4).
 * `request`/`request_uri` are here because a request object overrides every other parameter (RFC 9101 §6.3).
 */
export const PROTECTED_PARAMS: ReadonlySet<string> = new Set([
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'redirect_uri',
  'client_id',
  'response_type',
  'request',
  'request_uri',
]);

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

/**
 * Reads an OAuth provider in next-auth v4's shape (or gatehouse's `oidc` type) and applies v4's
 * defaults: string endpoints split into URL and params, `checks` default `["state"]`, `idToken`
 * inferred from an openid-configuration `wellKnown` or an `openid` scope. A misconfiguration is a
 * TypeError naming the option.
 */
export function normalizeProvider(config: OAuthConfig): OAuthSpec {
  const id = config.id;
  const raw = config as OAuthConfig & Record<string, unknown>;
  if (typeof config.clientId !== 'string' || config.clientId === '') fail(id, 'clientId', 'is missing', 'Set the client id your identity provider issued.');
  if (raw.version !== undefined && typeof raw.version === 'string' && raw.version.startsWith('1.')) {
    fail(id, 'version', `is "${raw.version}" (OAuth 1.0a)`, 'gatehouse speaks OAuth 2.0 and OpenID Connect only; use the provider\'s OAuth 2.0 app.');
  }
  let authorization: Endpoint;
  let token: Endpoint;
  let userinfo: Endpoint;
  try {
    authorization = normalizeEndpoint(config.authorization);
    token = normalizeEndpoint(config.token);
    userinfo = normalizeEndpoint(config.userinfo);
  } catch {
    return fail(id, 'authorization/token/userinfo', 'holds a URL that does not parse', 'Use absolute https:// URLs.');
  }
  const issuer = typeof config.issuer === 'string' && config.issuer !== '' ? config.issuer : undefined;
  const wellKnown = typeof config.wellKnown === 'string' && config.wellKnown !== '' ? config.wellKnown : undefined;
  const isOidcType = config.type === 'oidc';
  // Discovery when asked for (wellKnown), or when an OIDC provider lacks an endpoint (OIDC Discovery 1.0 §4).
  const discoveryUrl = wellKnown ?? (isOidcType && issuer && (!authorization.url || !token.url) ? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration` : undefined);
  if (!discoveryUrl && (!authorization.url || !token.url)) {
    fail(id, 'authorization / token', 'is missing', isOidcType ? 'Set `issuer` for discovery.' : 'Set `authorization` and `token` URLs, or `wellKnown` / `issuer` with type "oidc".');
  }
  const rawChecks = config.checks === undefined ? ['state'] : Array.isArray(config.checks) ? config.checks : [config.checks];
  for (const check of rawChecks) if (!CHECKS.has(check)) fail(id, 'checks', `contains ${JSON.stringify(check)}`, 'Use "state", "pkce", "nonce" or "none".');
  const checks = new Set(rawChecks.filter((c): c is CheckKind => c !== 'none'));
  const scope = authorization.params.scope ?? '';
  // v4: `idToken` says "this provider is OpenID Connect" (wellKnown or `openid` scope imply it). For
  // type "oidc" the ID token is always validated; `idToken: false` only moves the profile to userinfo.
  const oidc = isOidcType || (typeof config.idToken === 'boolean' ? config.idToken : wellKnown !== undefined ? wellKnown.includes('openid-configuration') : scope.split(/\s+/).includes('openid'));
  const idToken = oidc;
  const profileSource = config.idToken === false ? 'userinfo' : idToken ? 'idToken' : 'userinfo';
  if (checks.has('nonce') && !idToken) fail(id, 'checks', 'contains "nonce" but the provider is not OpenID Connect', 'A nonce is checked in the ID token: use type "oidc" (or `idToken: true`), or drop "nonce".');
  if (isOidcType && authorization.params.scope === undefined) authorization.params.scope = 'openid profile email';
  const { token_endpoint_auth_method: method, ...clientRest } = config.client ?? {};
  if (idToken && !discoveryUrl) {
    // Without discovery the ID token can only be validated against configured values.
    if (!issuer) fail(id, 'issuer', 'is missing for an OpenID Connect provider', 'Set `issuer` (the ID token `iss`), or `wellKnown`, or `idToken: false`.');
    const hmac = typeof clientRest.id_token_signed_response_alg === 'string' && clientRest.id_token_signed_response_alg.startsWith('HS');
    if (!config.jwks_endpoint && !hmac) fail(id, 'jwks_endpoint', 'is missing for an OpenID Connect provider', "Set it to the issuer's JWKS URL, or `wellKnown` for discovery.");
  }
  const clientSecret = typeof config.clientSecret === 'string' && config.clientSecret !== '' ? config.clientSecret : undefined;
  const clientAuth: ClientAuthMethod = method ?? (clientSecret === undefined ? 'none' : 'client_secret_basic');
  if (clientAuth !== 'none' && clientSecret === undefined) fail(id, 'clientSecret', 'is missing', `Set it, or \`client: { token_endpoint_auth_method: "none" }\` for a public client (with PKCE).`);
  if (clientAuth === 'none' && !checks.has('pkce')) fail(id, 'checks', 'lacks "pkce" for a public client', 'A client without a secret must use PKCE (RFC 9700 §2.1.1).');
  const dangerous = raw.dangerouslyAllowInsecureHttp === true;
  const endpoints = [discoveryUrl, authorization.url, token.url, userinfo.url, config.jwks_endpoint].filter((u): u is string => typeof u === 'string');
  const insecure = dangerous || endpoints.every(isLoopbackUrl);
  const plainHttp = endpoints.find((u) => u.startsWith('http:') && !isLoopbackUrl(u));
  if (plainHttp && !dangerous) {
    fail(id, 'issuer/endpoints', `use plain http (${new URL(plainHttp).host})`, 'Use https, or set `dangerouslyAllowInsecureHttp: true` for a network you trust (tokens and the client secret cross it in clear).');
  }
  const httpOptions = raw.httpOptions as { timeout?: unknown } | undefined;
  const timeout = typeof httpOptions?.timeout === 'number' && httpOptions.timeout > 0 ? httpOptions.timeout : DEFAULT_TIMEOUT_MS;
  const responseMode = authorization.params.response_mode;
  const rpLogout = raw.rpLogout;
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
    profileSource,
    clientAuth,
    clientMetadata: clientRest as Record<string, o.JsonValue>,
    profile: (typeof config.profile === 'function' ? config.profile : defaultProfile) as OAuthSpec['profile'],
    responseMode,
    insecure,
    timeout,
    fetch: typeof raw.fetch === 'function' ? (raw.fetch as FetchLike) : (input, init) => fetch(input, init),
    rpLogout:
      rpLogout === true
        ? { postLogoutRedirectUri: undefined }
        : rpLogout && typeof rpLogout === 'object'
          ? { postLogoutRedirectUri: typeof (rpLogout as { postLogoutRedirectUri?: unknown }).postLogoutRedirectUri === 'string' ? (rpLogout as { postLogoutRedirectUri: string }).postLogoutRedirectUri : undefined }
          : undefined,
  };
}

/** Authorization server metadata plus what gatehouse learned while resolving it. */
export interface Server {
  as: o.AuthorizationServer;
  /** False for a plain OAuth 2.0 server configured without `issuer`: its `iss` cannot be checked. */
  issuerKnown: boolean;
  /** Microsoft Entra multi-tenant: the issuer is `…/{tenantid}/v2.0`, filled from each ID token's `tid`. */
  issuerTemplate: string | undefined;
}

/** Per-request transport options: the provider's timeout, its fetch, and plain http only where allowed. */
function httpOptions<M extends string, B>(spec: OAuthSpec, fetchImpl: FetchLike = spec.fetch): o.HttpRequestOptions<M, B> {
  return {
    signal: () => AbortSignal.timeout(spec.timeout),
    [o.customFetch]: (url: string, init: o.CustomFetchOptions<M, B>) => fetchImpl(url, init as unknown as RequestInit),
    ...(spec.insecure ? { [o.allowInsecureRequests]: true } : {}),
  };
}

/** The issuer a discovery URL stands for: the URL minus `/.well-known/openid-configuration` (OIDC Discovery 1.0 §4). */
export function issuerOfDiscoveryUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/?\.well-known\/(openid-configuration|oauth-authorization-server)$/, '');
  return `${parsed.origin}${path}`;
}

/**
 * Fetches and validates the discovery document, then lays configured endpoints over it. The
 * document's issuer must equal the one the URL stands for (OIDC Discovery 1.0 §4.3); the Entra
 * `{tenantid}` placeholder is the documented exception, resolved per ID token.
 */
export async function resolveServer(spec: OAuthSpec): Promise<Server> {
  let as: o.AuthorizationServer;
  let issuerTemplate: string | undefined;
  if (spec.discoveryUrl) {
    let expected = spec.issuer ?? issuerOfDiscoveryUrl(spec.discoveryUrl);
    const discoveryUrl = spec.discoveryUrl;
    // oauth4webapi builds the well-known URL from the issuer; v4 configs name the document itself
    // (with its query, e.g. Entra's `?appid=`), so the request is pointed at that URL.
    const response = await o.discoveryRequest(new URL(expected), httpOptions<'GET', undefined>(spec, (_url, init) => spec.fetch(discoveryUrl, init)));
    let checked = response;
    if (response.ok) {
      const body = (await response.clone().json().catch(() => null)) as { issuer?: unknown } | null;
      const documented = body && typeof body.issuer === 'string' ? body.issuer : undefined;
      if (body && documented?.includes('{tenantid}')) {
        issuerTemplate = documented;
        const tenant = /\/([^/]+)\/v2\.0\/?$/.exec(new URL(expected).pathname)?.[1] ?? 'common';
        checked = Response.json({ ...body, issuer: documented.replace('{tenantid}', tenant) }, { status: 200 });
      } else if (documented !== undefined && documented !== expected && documented.replace(/\/$/, '') === expected.replace(/\/$/, '')) {
        // Configured with or without the trailing slash the server's issuer has (Auth0, authentik):
        // the same document location, so the server's spelling is the one ID tokens will carry.
        expected = documented;
      }
    }
    as = await o.processDiscoveryResponse(new URL(expected), checked);
  } else {
    as = { issuer: spec.issuer ?? spec.authorization.url! };
  }
  const merged: Record<string, unknown> = { ...as };
  if (spec.authorization.url) merged.authorization_endpoint = spec.authorization.url;
  if (spec.token.url) merged.token_endpoint = spec.token.url;
  if (spec.userinfo.url) merged.userinfo_endpoint = spec.userinfo.url;
  if (spec.jwksUri) merged.jwks_uri = spec.jwksUri;
  return { as: merged as unknown as o.AuthorizationServer, issuerKnown: spec.discoveryUrl !== undefined || spec.issuer !== undefined, issuerTemplate };
}

export interface CheckValues {
  state?: string;
  codeVerifier?: string;
  nonce?: string;
}

/** Fresh check values for one sign-in, from oauth4webapi's generators (32 random bytes each). */
export async function generateChecks(checks: ReadonlySet<CheckKind>): Promise<CheckValues & { codeChallenge?: string }> {
  const out: CheckValues & { codeChallenge?: string } = {};
  if (checks.has('state')) out.state = o.generateRandomState();
  if (checks.has('pkce')) {
    out.codeVerifier = o.generateRandomCodeVerifier();
    out.codeChallenge = await o.calculatePKCECodeChallenge(out.codeVerifier);
  }
  if (checks.has('nonce')) out.nonce = o.generateRandomNonce();
  return out;
}

/**
 * The authorization request URL (RFC 6749 §4.1.1): the endpoint's own query, then the provider's
 * `authorization.params`, then the caller's extra parameters minus the protected ones, then the
 * protocol's parameters, which nothing can override.
 */
export function authorizationUrl(input: {
  endpoint: string;
  providerParams: Readonly<Record<string, string>>;
  extraParams: Readonly<Record<string, string>>;
  clientId: string;
  redirectUri: string;
  checks: CheckValues & { codeChallenge?: string };
}): URL {
  const url = new URL(input.endpoint);
  const set = (key: string, value: string) => url.searchParams.set(key, value);
  for (const [key, value] of Object.entries(input.providerParams)) if (!PROTECTED_PARAMS.has(key)) set(key, value);
  for (const [key, value] of Object.entries(input.extraParams)) if (!PROTECTED_PARAMS.has(key)) set(key, value);
  set('client_id', input.clientId);
  set('response_type', 'code');
  set('redirect_uri', input.redirectUri);
  if (input.checks.state !== undefined) set('state', input.checks.state);
  if (input.checks.codeChallenge !== undefined) {
    set('code_challenge', input.checks.codeChallenge);
    set('code_challenge_method', 'S256');
  }
  if (input.checks.nonce !== undefined) set('nonce', input.checks.nonce);
  return url;
}

export function clientOf(spec: OAuthSpec): o.Client {
  return { ...spec.clientMetadata, client_id: spec.clientId };
}

export function clientAuthOf(spec: OAuthSpec): o.ClientAuth {
  switch (spec.clientAuth) {
    case 'client_secret_post':
      return o.ClientSecretPost(spec.clientSecret!);
    case 'none':
      return o.None();
    default:
      return clientSecretBasic(spec.clientSecret!);
  }
}

/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1) with the encoding openid-client, and so next-auth
 * v4, used: `encodeURIComponent`, spaces as `+`. oauth4webapi also escapes `-`, `.`, `_`, `~`, which a
 * server that decodes accepts, but several do not decode, and client ids such as Google's
 * `123-abc.apps.googleusercontent.com` then stop working after a v4 migration.
 */
function clientSecretBasic(clientSecret: string): o.ClientAuth {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${base64Encode(new TextEncoder().encode(`${encode(client.client_id)}:${encode(clientSecret)}`))}`);
  };
}

/**
 * Checks the authorization response (RFC 6749 §4.1.2): `iss` against the issuer when the server
 * is known to have one (RFC 9207), then `state`, then the error parameter. Returns oauth4webapi's
 * branded parameters, the only input its code exchange accepts.
 */
export function validateCallback(server: Server, spec: OAuthSpec, params: URLSearchParams, expectedState: string | undefined): URLSearchParams {
  const input = new URLSearchParams(params);
  // A plain OAuth 2.0 server configured without an issuer has no value to compare `iss` with; the
  // per-provider redirect URI and provider-bound state are its mix-up defence (RFC 9700 §4.4.2).
  if (!server.issuerKnown) input.delete('iss');
  return o.validateAuthResponse(server.as, clientOf(spec), input, expectedState ?? o.expectNoState);
}

/** Epoch seconds, for `expires_at`. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** v4's token shape: `expires_in` becomes `expires_at`; everything else the server sent is kept. */
export function toTokenSet(response: o.TokenEndpointResponse, keepIdToken?: string): TokenSet {
  const { expires_in, ...rest } = response as o.TokenEndpointResponse & Record<string, unknown>;
  const out: TokenSet = { ...(rest as Record<string, unknown>) };
  if (typeof expires_in === 'number') out.expires_at = nowSeconds() + expires_in;
  if (keepIdToken !== undefined) out.id_token = keepIdToken;
  return out;
}

/** The server as seen by one ID token: Entra's `{tenantid}` filled from the token's `tid` claim. */
function serverForIdToken(server: Server, idToken: string | undefined): o.AuthorizationServer {
  if (!server.issuerTemplate || !idToken) return server.as;
  let tid: unknown;
  try {
    tid = decodeJwt(idToken).tid;
  } catch {
    return server.as;
  }
  // Microsoft's rule for multi-tenant apps: the issuer must be the template with the token's own tenant.
  return typeof tid === 'string' && /^[0-9a-f-]{36}$/i.test(tid) ? { ...server.as, issuer: server.issuerTemplate.replace('{tenantid}', tid) } : server.as;
}

/** The same response without `id_token`, for servers not configured as OpenID Connect. */
function withoutIdToken(response: Response, body: Record<string, unknown>): Response {
  const { id_token: _dropped, ...rest } = body;
  return Response.json(rest, { status: response.status, headers: response.headers });
}

async function peekJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await response.clone().json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies the ID token's signature. oauth4webapi validates the claims (iss, aud, exp, iat,
 * nonce, azp); the signature is checked here too although TLS already authenticates the token
 * endpoint (OIDC Core §3.1.3.7 item 6 allows skipping it): defence in depth against a
 * misrouted or intercepted token endpoint. HS* tokens (LINE) are MACed with the client secret.
 */
async function verifyIdTokenSignature(server: o.AuthorizationServer, spec: OAuthSpec, response: Response, idToken: string): Promise<void> {
  const { alg } = decodeProtectedHeader(idToken);
  if (typeof alg === 'string' && alg.startsWith('HS')) {
    if (!spec.clientSecret) throw new OAuthProtocolError('OAUTH_ID_TOKEN_UNVERIFIABLE', `ID token signed with ${alg} but the client has no secret`);
    await compactVerify(idToken, new TextEncoder().encode(spec.clientSecret), { algorithms: [alg] });
    return;
  }
  if (!server.jwks_uri) throw new OAuthProtocolError('OAUTH_ID_TOKEN_UNVERIFIABLE', 'the ID token cannot be verified: the server has no jwks_uri');
  await o.validateApplicationLevelSignature(server, response, httpOptions<'GET', undefined>(spec));
}

/**
 * The token request (RFC 6749 §4.1.3) with the PKCE verifier (RFC 7636 §4.5), then the response:
 * an OIDC provider must return an ID token whose claims and signature validate and whose nonce
 * matches; a plain OAuth 2.0 provider's ID token, if any, is kept as received (v4 did the same).
 */
export async function exchangeCode(input: {
  server: Server;
  spec: OAuthSpec;
  params: URLSearchParams;
  redirectUri: string;
  codeVerifier: string | undefined;
  nonce: string | undefined;
}): Promise<{ tokens: TokenSet; claims: o.IDToken | undefined }> {
  const { server, spec } = input;
  const client = clientOf(spec);
  let response = await o.authorizationCodeGrantRequest(server.as, client, clientAuthOf(spec), input.params, input.redirectUri, input.codeVerifier ?? o.nopkce, {
    ...httpOptions<'POST', URLSearchParams>(spec),
    additionalParameters: spec.token.params,
  });
  const peek = await peekJson(response);
  const rawIdToken = typeof peek?.id_token === 'string' ? peek.id_token : undefined;
  let keepIdToken: string | undefined;
  if (!spec.idToken && rawIdToken !== undefined && peek) {
    // Not configured as OpenID Connect: no issuer or keys to validate against, so the token is
    // taken out of oauth4webapi's view and handed back untouched.
    keepIdToken = rawIdToken;
    response = withoutIdToken(response, peek);
  }
  const as = spec.idToken ? serverForIdToken(server, rawIdToken) : server.as;
  const processed = await o.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: input.nonce ?? o.expectNoNonce,
    requireIdToken: spec.idToken,
  });
  const claims = spec.idToken ? o.getValidatedIdTokenClaims(processed) : undefined;
  if (claims && rawIdToken) await verifyIdTokenSignature(as, spec, response, rawIdToken);
  return { tokens: toTokenSet(processed, keepIdToken), claims };
}

/**
 * The profile: from the userinfo endpoint (OIDC Core §5.3, whose `sub` must match the ID token's)
 * or, for plain OAuth 2.0, from any JSON resource that answers the access token.
 */
export async function fetchUserinfo(server: Server, spec: OAuthSpec, accessToken: string, expectedSubject: string | undefined): Promise<Profile> {
  const endpoint = server.as.userinfo_endpoint;
  if (!endpoint) throw new OAuthProtocolError('OAUTH_NO_USERINFO_ENDPOINT', 'no userinfo endpoint is configured or discovered');
  const url = new URL(endpoint);
  for (const [key, value] of Object.entries(spec.userinfo.params)) url.searchParams.set(key, value);
  const options = httpOptions<'GET', undefined>(spec);
  if (expectedSubject !== undefined && Object.keys(spec.userinfo.params).length === 0) {
    const response = await o.userInfoRequest(server.as, clientOf(spec), accessToken, options);
    return (await o.processUserInfoResponse(server.as, clientOf(spec), expectedSubject, response)) as Profile;
  }
  const response = await o.protectedResourceRequest(accessToken, 'GET', url, new Headers({ accept: 'application/json' }), null, httpOptions<string, o.ProtectedResourceRequestBody>(spec));
  if (!response.ok) throw new OAuthProtocolError('OAUTH_USERINFO_HTTP_ERROR', `userinfo endpoint answered HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new OAuthProtocolError('OAUTH_USERINFO_NOT_AN_OBJECT', 'userinfo endpoint did not answer a JSON object');
  return body as Profile;
}

/** The refresh token grant (RFC 6749 §6); a rotated refresh token replaces the old one, else the old one is kept. */
export async function refreshTokens(server: Server, spec: OAuthSpec, refreshToken: string): Promise<TokenSet> {
  const client = clientOf(spec);
  const response = await o.refreshTokenGrantRequest(server.as, client, clientAuthOf(spec), refreshToken, {
    ...httpOptions<'POST', URLSearchParams>(spec),
    additionalParameters: spec.token.params,
  });
  const peek = await peekJson(response);
  const idToken = typeof peek?.id_token === 'string' ? peek.id_token : undefined;
  const strip = !spec.idToken && idToken !== undefined && peek !== null;
  const as = spec.idToken ? serverForIdToken(server, idToken) : server.as;
  const processed = await o.processRefreshTokenResponse(as, client, strip && peek ? withoutIdToken(response, peek) : response);
  const tokens = toTokenSet(processed, spec.idToken ? undefined : idToken);
  if (tokens.refresh_token === undefined) tokens.refresh_token = refreshToken;
  return tokens;
}

/** OpenID Connect RP-Initiated Logout 1.0 §2: the end-session URL with the ID token hint and where to come back. */
export function endSessionUrl(input: { endpoint: string; clientId: string; idTokenHint: string | undefined; postLogoutRedirectUri: string }): string {
  const url = new URL(input.endpoint);
  if (input.idTokenHint) url.searchParams.set('id_token_hint', input.idTokenHint);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('post_logout_redirect_uri', input.postLogoutRedirectUri);
  return url.href;
}

/** A short label for logs: the oauth4webapi error code or the error name, never a token. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof o.AuthorizationResponseError) return { code: error.code, error: error.error };
  if (error instanceof o.ResponseBodyError) return { code: error.code, error: error.error, status: error.status };
  if (error instanceof o.WWWAuthenticateChallengeError) return { code: error.code, status: error.status };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(cause instanceof Error ? { cause: { name: cause.name, message: cause.message } } : {}),
    };
  }
  return { error: String(error) };
}
