// The OAuth 2.0 / OpenID Connect flow: POST `signin/:id` starts it, GET|POST `callback/:id` finishes it, POST `signout` may end the IdP session.
import { pageText } from './locale.js';
import type { OAuthProvider, ResolvedConfig } from '../config.js';
import { checkKeys, CheckError, openCheck, sealCheck, CHECK_MAX_AGE, type CheckBinding, type CheckKind } from '../core/checks.js';
import { expireCookie, type CookieAttributes, type SetCookie } from '../core/cookies.js';
import { decryptToken, encryptToken } from '../core/jwt.js';
import { authorizationUrl, endSessionUrl, generateChecks, validateCallback } from '../core/oauth/authorize.js';
import { describeError } from '../core/oauth/client.js';
import type { OAuthSpec, Server, TokenSet } from '../core/oauth/spec.js';
import { resolveServer } from '../services/oauth/discovery.js';
import { exchangeCode } from '../services/oauth/tokens.js';
import { fetchUserinfo } from '../services/oauth/userinfo.js';
import { AuthError, CallbackError, OAuthCallbackError, OAuthProtocolError, OAuthSigninError } from '../errors.js';
import { renderRepostPage, REPOST_FIELD } from '../pages/repost.js';
import type { RouteContext, RouteResult } from '../context.js';
import type { Account, Profile, User } from '../types.js';
import { applyRedirectCallback, stringFields } from './request-state.js';
import { completeSignIn } from './sign-in.js';

/** The cookie names and attributes of each check, as v4 names them (`next-auth.state`, …). */
const CHECK_COOKIE = { state: 'state', pkce: 'pkceCodeVerifier', nonce: 'nonce' } as const;

/**
 * Discovery runs once per instance and provider; concurrent first requests share one fetch. A
 * failure is not cached, so the next request retries an IdP that was briefly down; when it failed
 * is kept, so pages that only list the endpoint (CSP `form-action`) stop waiting on a dead IdP.
 */
export function serverOf(config: ResolvedConfig, provider: OAuthProvider): Promise<Server> {
  const servers = config.caches.oauthServers;
  let pending = servers.get(provider.id);
  if (!pending) {
    const started = resolveServer(provider.spec);
    servers.set(provider.id, started);
    started.then(
      () => config.caches.oauthServerFailures.delete(provider.id),
      () => {
        if (servers.get(provider.id) === started) servers.delete(provider.id);
        config.caches.oauthServerFailures.set(provider.id, Date.now());
      },
    );
    pending = started;
  }
  return pending;
}

/**
 * How long after a failed discovery the built-in pages leave the provider out of `form-action`
 * instead of trying again: every sign-in page view would otherwise wait up to the provider's
 * timeout on an IdP that is down. Its button's POST still retries (`signIn` calls `serverOf`).
 */
export const DISCOVERY_RETRY_MS = 30_000;

/** True while the provider's last discovery failed less than `DISCOVERY_RETRY_MS` ago and none is under way. */
export function discoveryRecentlyFailed(config: ResolvedConfig, provider: OAuthProvider): boolean {
  if (config.caches.oauthServers.has(provider.id)) return false;
  const failedAt = config.caches.oauthServerFailures.get(provider.id);
  return failedAt !== undefined && Date.now() - failedAt < DISCOVERY_RETRY_MS;
}

function redirectUriOf(ctx: RouteContext, provider: OAuthProvider): string {
  // From the configured base URL (or a trusted host), never from the request's Host, which the client chooses (RFC 9110 §7.2).
  return `${ctx.url.base}/callback/${provider.id}`;
}

function bindingOf(ctx: RouteContext, provider: OAuthProvider, spec: OAuthSpec, server: Server): CheckBinding {
  return { provider: provider.id, clientId: spec.clientId, redirectUri: redirectUriOf(ctx, provider), server: server.as.issuer };
}

function checkCookie(ctx: RouteContext, kind: CheckKind): { name: string; options: CookieAttributes } {
  return ctx.cookieNames[CHECK_COOKIE[kind]];
}

/** POST `signin/:id`: fresh state, PKCE and nonce in sealed cookies, and the authorization URL. */
async function signIn(ctx: RouteContext, provider: OAuthProvider): Promise<RouteResult> {
  const { spec } = provider;
  let server: Server;
  try {
    server = await serverOf(ctx.config, provider);
  } catch (error) {
    throw new OAuthSigninError(describeError(error));
  }
  const endpoint = server.as.authorization_endpoint;
  if (!endpoint) throw new OAuthSigninError({ message: 'no authorization endpoint' });
  const checks = await generateChecks(spec.checks);
  const binding = bindingOf(ctx, provider, spec, server);
  const cookies: SetCookie[] = [];
  const expires = new Date(Date.now() + CHECK_MAX_AGE * 1000);
  const values: Record<CheckKind, string | undefined> = { state: checks.state, pkce: checks.codeVerifier, nonce: checks.nonce };
  for (const kind of spec.checks) {
    const { name, options } = checkCookie(ctx, kind);
    const maxAge = options.maxAge ?? CHECK_MAX_AGE;
    const value = values[kind];
    if (value === undefined) throw new OAuthSigninError({ message: `no ${kind} value was generated` });
    const sealed = await sealCheck(value, binding, checkKeys(ctx.config.secrets, name), maxAge);
    cookies.push({ name, value: sealed, options: { ...options, maxAge, expires } });
  }
  const url = authorizationUrl({
    endpoint,
    providerParams: spec.authorization.params,
    extraParams: ctx.query,
    clientId: spec.clientId,
    redirectUri: redirectUriOf(ctx, provider),
    checks,
  });
  return { redirect: url.href, cookies };
}

/** v4 hands `tokens.claims()` to `userinfo.request` and `profile`; kept as a non-enumerable method so it never reaches storage. */
function withClaims(tokens: TokenSet, claims: Record<string, unknown> | undefined): TokenSet {
  Object.defineProperty(tokens, 'claims', { value: () => ({ ...(claims ?? {}) }), enumerable: false, configurable: true });
  return tokens;
}

/**
 * The subset of openid-client's Client that v4 `token.request` / `userinfo.request` hooks call, so
 * such configs run unchanged: `userinfo()`, `oauthCallback()`, `callback()`, `issuer.metadata`.
 */
function legacyClient(server: Server, spec: OAuthSpec, validated: URLSearchParams, redirectUri: string) {
  const exchange = async (_redirectUri: string, _params: unknown, checks: { code_verifier?: string; nonce?: string } = {}, extras: { exchangeBody?: Record<string, unknown> } = {}) => {
    const extra = Object.fromEntries(Object.entries(extras.exchangeBody ?? {}).map(([k, v]) => [k, String(v)]));
    const { tokens, claims } = await exchangeCode({
      server,
      spec: { ...spec, token: { ...spec.token, params: { ...spec.token.params, ...extra } } },
      params: validated,
      redirectUri,
      codeVerifier: checks.code_verifier,
      nonce: checks.nonce,
    });
    return withClaims(tokens, claims);
  };
  return {
    metadata: { client_id: spec.clientId },
    issuer: { metadata: server.as },
    userinfo: async (tokenOrSet: string | { access_token?: string }, options: { params?: Record<string, string> } = {}) => {
      const accessToken = typeof tokenOrSet === 'string' ? tokenOrSet : tokenOrSet.access_token;
      if (!accessToken) throw new TypeError('userinfo() needs an access token');
      return fetchUserinfo(server, { ...spec, userinfo: { ...spec.userinfo, params: { ...spec.userinfo.params, ...(options.params ?? {}) } } }, accessToken, undefined);
    },
    oauthCallback: exchange,
    callback: exchange,
  };
}

interface CallbackOutcome {
  tokens: TokenSet;
  profile: Profile;
}

/** Code exchange and profile: custom v4 hooks when configured, oauth4webapi otherwise. */
async function obtainProfile(
  ctx: RouteContext,
  provider: OAuthProvider,
  spec: OAuthSpec,
  server: Server,
  validated: URLSearchParams,
  checks: { state?: string; codeVerifier?: string; nonce?: string },
): Promise<CallbackOutcome> {
  const redirectUri = redirectUriOf(ctx, provider);
  const client = legacyClient(server, spec, validated, redirectUri);
  const hookProvider = { ...provider.config, callbackUrl: redirectUri, signinUrl: `${ctx.url.base}/signin/${provider.id}` };
  let tokens: TokenSet;
  let claims: Record<string, unknown> | undefined;
  if (spec.token.request) {
    // The hook owns the exchange, so PKCE and nonce are its job (as in v4); state was checked above.
    const result = (await spec.token.request({
      provider: hookProvider,
      params: { ...Object.fromEntries(validated), ...spec.token.params },
      checks: { state: checks.state, code_verifier: checks.codeVerifier, nonce: checks.nonce },
      client,
    })) as { tokens?: TokenSet } | undefined;
    if (!result?.tokens || typeof result.tokens !== 'object') throw new TypeError('token.request() returned no tokens');
    tokens = { ...result.tokens };
    const maybeClaims = (result.tokens as { claims?: () => Record<string, unknown> }).claims;
    claims = typeof maybeClaims === 'function' ? maybeClaims.call(result.tokens) : undefined;
  } else {
    const exchanged = await exchangeCode({ server, spec, params: validated, redirectUri, codeVerifier: checks.codeVerifier, nonce: checks.nonce });
    tokens = exchanged.tokens;
    claims = exchanged.claims as Record<string, unknown> | undefined;
  }
  if (Array.isArray(tokens.scope)) tokens.scope = (tokens.scope as unknown[]).join(' ');
  withClaims(tokens, claims);
  let profile: Profile;
  if (spec.userinfo.request) {
    profile = (await spec.userinfo.request({ provider: hookProvider, tokens, client, fetch: spec.fetch })) as Profile;
  } else if (spec.profileSource === 'idToken' && claims) {
    profile = { ...claims } as Profile;
  } else {
    if (typeof tokens.access_token !== 'string') throw new OAuthProtocolError('OAUTH_NO_ACCESS_TOKEN', 'the token response has no access_token');
    profile = await fetchUserinfo(server, spec, tokens.access_token, typeof claims?.sub === 'string' ? claims.sub : undefined);
  }
  if (!profile || typeof profile !== 'object') throw new TypeError('the profile is not an object');
  return { tokens, profile };
}

/** Apple sends the user's name once, as a JSON `user` field of the form_post body, never in the ID token. */
function formPostUser(spec: OAuthSpec, params: URLSearchParams): Record<string, unknown> | undefined {
  if (spec.responseMode !== 'form_post') return undefined;
  const raw = params.get('user');
  if (!raw || raw.length > 4096) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** GET|POST `callback/:id`: checks, code exchange, ID token, profile, then the shared sign-in tail. */
async function callback(ctx: RouteContext, provider: OAuthProvider): Promise<RouteResult> {
  const { spec } = provider;
  const params = new URLSearchParams(ctx.method === 'POST' ? stringFields(ctx.body) : ctx.query);
  const hasResponse = params.has('code') || params.has('error');

  if (ctx.method === 'POST' && spec.responseMode === 'form_post' && hasResponse && spec.checks.size > 0 && params.get(REPOST_FIELD) !== '1') {
    const carriesChecks = [...spec.checks].some((kind) => ctx.requestCookies.has(checkCookie(ctx, kind).name));
    if (!carriesChecks) return { html: renderRepostPage(redirectUriOf(ctx, provider), params, pageText(ctx)), headers: { 'Cache-Control': 'no-store' } };
  }
  params.delete(REPOST_FIELD);

  // Each check is single-use: cleared by this response whatever its outcome (set on ctx so error
  // responses carry the deletions too), so a replayed callback finds nothing to match.
  const sealed = new Map<CheckKind, string | undefined>();
  for (const kind of spec.checks) {
    const { name, options } = checkCookie(ctx, kind);
    sealed.set(kind, ctx.requestCookies.get(name));
    if (ctx.requestCookies.has(name)) ctx.outCookies.push(expireCookie(name, options));
  }

  const idpError = params.get('error');
  if (idpError !== null) {
    // v4 answers an IdP error with `Callback` (packages/next-auth/src/core/lib/oauth/callback.ts on branch v4). Its text stays in the log, never in a response.
    // Logged as v4 logs it (`OAUTH_CALLBACK_HANDLER_ERROR` with `{ error, providerId }`), the IdP's code cut to a plain token.
    throw new CallbackError({ error: new Error(idpError.slice(0, 64).replace(/[^\w.-]/g, '')), providerId: provider.id });
  }

  let server: Server;
  let validated: URLSearchParams;
  const checks: { state?: string; codeVerifier?: string; nonce?: string } = {};
  try {
    server = await serverOf(ctx.config, provider);
    const binding = bindingOf(ctx, provider, spec, server);
    for (const kind of spec.checks) {
      const value = await openCheck(kind, sealed.get(kind), binding, checkKeys(ctx.config.secrets, checkCookie(ctx, kind).name));
      if (kind === 'state') checks.state = value;
      else if (kind === 'pkce') checks.codeVerifier = value;
      else checks.nonce = value;
    }
    validated = validateCallback(server, spec, params, checks.state);
  } catch (error) {
    throw new OAuthCallbackError(error instanceof CheckError ? { check: error.kind, reason: error.reason } : describeError(error));
  }

  let user: User;
  let account: Account;
  let outcome: CallbackOutcome;
  try {
    outcome = await obtainProfile(ctx, provider, spec, server, validated, checks);
    const extraUser = formPostUser(spec, params);
    if (extraUser) outcome.profile = { ...outcome.profile, user: extraUser };
    const mapped = await spec.profile(outcome.profile, outcome.tokens);
    if (!mapped || mapped.id === undefined || mapped.id === null || String(mapped.id) === '') {
      throw new TypeError(`profile() of "${provider.id}" returned no id`);
    }
    // v4 lowercases the email the profile maps (callback.ts getProfile).
    user = { ...mapped, id: String(mapped.id), email: typeof mapped.email === 'string' ? mapped.email.toLowerCase() : (mapped.email ?? null) };
    account = { ...outcome.tokens, provider: provider.id, type: 'oauth', providerAccountId: user.id };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new OAuthCallbackError(describeError(error));
  }
  const cookies = await logoutHintCookies(ctx, provider, spec, outcome.tokens.id_token);
  return completeSignIn(ctx, { provider, user, account, profile: outcome.profile, cookies });
}

/**
 * The RP-logout hint: the ID token, sealed (salt = cookie name) with the provider id, kept only
 * for providers that opted in. Cleared otherwise, so an old hint never outlives a new sign-in.
 */
function logoutHintCookie(ctx: RouteContext): { name: string; options: CookieAttributes } {
  const { options } = ctx.cookieNames.sessionToken;
  return { name: `${options.secure ? '__Secure-' : ''}gatehouse.logout-hint`, options: { httpOnly: true, sameSite: 'lax', path: '/', secure: options.secure === true } };
}

/** A cookie value larger than this would be dropped by browsers (RFC 6265 §6.1 asks for at least 4096 bytes per cookie). */
const MAX_HINT_COOKIE = 3900;

async function logoutHintCookies(ctx: RouteContext, provider: OAuthProvider, spec: OAuthSpec, idToken: string | undefined): Promise<SetCookie[]> {
  const { name, options } = logoutHintCookie(ctx);
  const present = ctx.requestCookies.has(name);
  if (!spec.rpLogout || !idToken) return present ? [expireCookie(name, options)] : [];
  const value = await encryptToken({ value: idToken, provider: provider.id }, checkKeys(ctx.config.secrets, name), ctx.config.maxAge);
  if (value.length > MAX_HINT_COOKIE) {
    ctx.config.logger.warn('OAUTH_LOGOUT_HINT_TOO_LARGE', { provider: provider.id });
    return present ? [expireCookie(name, options)] : [];
  }
  return [{ name, value, options: { ...options, expires: new Date(Date.now() + ctx.config.maxAge * 1000) } }];
}

/**
 * POST `signout`, after the local session is gone: when the user signed in through a provider
 * that opted into RP-initiated logout and advertises `end_session_endpoint`, the redirect goes
 * there with `id_token_hint` and `post_logout_redirect_uri` (which passed the redirect callback).
 */
export async function rpLogout(ctx: RouteContext, target: string): Promise<{ redirect: string | undefined; cookies: SetCookie[] }> {
  const { name, options } = logoutHintCookie(ctx);
  const raw = ctx.requestCookies.get(name);
  if (!raw) return { redirect: undefined, cookies: [] };
  const cookies = [expireCookie(name, options)];
  const payload = await decryptToken(raw, checkKeys(ctx.config.secrets, name));
  const providerId = typeof payload?.provider === 'string' ? payload.provider : undefined;
  const provider = providerId === undefined ? undefined : ctx.config.providerById.get(providerId);
  if (!provider || (provider.type !== 'oauth' && provider.type !== 'oidc') || typeof payload?.value !== 'string') return { redirect: undefined, cookies };
  const { spec } = provider;
  try {
    if (!spec.rpLogout) return { redirect: undefined, cookies };
    const server = await serverOf(ctx.config, provider);
    const endpoint = server.as.end_session_endpoint;
    if (!endpoint) return { redirect: undefined, cookies };
    const postLogout = spec.rpLogout.postLogoutRedirectUri ? await applyRedirectCallback(ctx, spec.rpLogout.postLogoutRedirectUri) : target;
    return { redirect: endSessionUrl({ endpoint, clientId: spec.clientId, idTokenHint: payload.value, postLogoutRedirectUri: postLogout }), cookies };
  } catch (error) {
    // Signing out locally has already succeeded; an unreachable IdP must not undo that.
    ctx.config.logger.error('OAUTH_RP_LOGOUT_ERROR', { provider: provider.id, error: describeError(error) });
    return { redirect: undefined, cookies };
  }
}

export const oauthFlow = { signIn, callback };
