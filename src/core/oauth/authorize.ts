// The authorization request and its answer (RFC 6749 §4.1): fresh check values, the authorization URL, the callback's parameters checked, and the logout URL.
import * as o from 'oauth4webapi';
import type { CheckKind } from '../checks.js';
import { clientOf } from './client.js';
import type { OAuthSpec, Server } from './spec.js';

/**
 * Parameters the protocol owns. The query of POST `signin/:id` (the client's third `signIn`
 * argument) may not set them: v4 let it replace `redirect_uri` or the checks (packages/next-auth/src/core/lib/oauth/authorization-url.ts on branch v4).
 * `request`/`request_uri` are here because a request object overrides every other parameter (RFC 9101 §6.3).
 */
export const PROTECTED_PARAMS: ReadonlySet<string> = new Set(['state', 'code_challenge', 'code_challenge_method', 'nonce', 'redirect_uri', 'client_id', 'response_type', 'request', 'request_uri']);

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

/** OpenID Connect RP-Initiated Logout 1.0 §2: the end-session URL with the ID token hint and where to come back. */
export function endSessionUrl(input: { endpoint: string; clientId: string; idTokenHint: string | undefined; postLogoutRedirectUri: string }): string {
  const url = new URL(input.endpoint);
  if (input.idTokenHint) url.searchParams.set('id_token_hint', input.idTokenHint);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('post_logout_redirect_uri', input.postLogoutRedirectUri);
  return url.href;
}
