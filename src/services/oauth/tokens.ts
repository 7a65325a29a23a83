// The token endpoint (RFC 6749 §4.1.3, §6): the code exchange with its ID token validated, and the refresh grant.
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import * as o from 'oauth4webapi';
import { clientAuthOf, clientOf } from '../../core/oauth/client.js';
import type { OAuthSpec, Server, TokenSet } from '../../core/oauth/spec.js';
import { OAuthProtocolError } from '../../errors.js';
import { httpOptions } from './transport.js';

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
