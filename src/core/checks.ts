// OAuth check cookies (state, PKCE verifier, nonce): sealed JWEs keyed by cookie name and bound to the provider that minted them.
import { deriveKeys, decryptToken, encryptToken, type JweKeys } from './jwt.js';
import { sha256Hex } from './crypto.js';

export type CheckKind = 'state' | 'pkce' | 'nonce';

/** v4 keeps each check for 15 minutes: long enough for a slow login at the IdP, short enough to bound replay. */
export const CHECK_MAX_AGE = 15 * 60;

/**
 * What a check is bound to beyond v4's `provider` id (advisory GHSA-x445 asks for issuer, client id
 * and redirect URI too): a value minted for one client or IdP is refused by every other one, even
 * after a provider is renamed or re-pointed between the two requests.
 */
export interface CheckBinding {
  provider: string;
  clientId: string;
  redirectUri: string;
  /** The issuer, or the authorization endpoint of a plain OAuth 2.0 server. */
  server: string;
}

interface CheckPayload {
  value?: unknown;
  provider?: unknown;
  bind?: unknown;
}

export function bindingHash(binding: CheckBinding): string {
  return sha256Hex(JSON.stringify([binding.provider, binding.clientId, binding.redirectUri, binding.server]));
}

/**
 * The key of one check cookie: HKDF salt = the cookie name, exactly as next-auth 4.24.5+ derives
 * it, so a state JWE never opens as a session token and the reverse (advisory GHSA-v64w).
 */
export function checkKeys(secrets: readonly string[], cookieName: string): JweKeys {
  return deriveKeys(secrets, cookieName);
}

/** Seals `{value, provider, bind}`; the payload is v4's `{value, provider}` plus the stronger binding. */
export async function sealCheck(value: string, binding: CheckBinding, keys: JweKeys, maxAge = CHECK_MAX_AGE, now?: number): Promise<string> {
  return encryptToken({ value, provider: binding.provider, bind: bindingHash(binding) }, keys, maxAge, now);
}

export type CheckFailure = 'missing' | 'invalid' | 'provider' | 'binding';

export class CheckError extends Error {
  readonly kind: CheckKind;
  readonly reason: CheckFailure;
  constructor(kind: CheckKind, reason: CheckFailure) {
    super(
      `${kind} check cookie ${reason === 'missing' ? 'is missing' : reason === 'invalid' ? 'does not decrypt or has expired' : `was minted for another ${reason === 'provider' ? 'provider' : 'client, issuer or redirect URI'}`}`,
    );
    this.name = 'CheckError';
    this.kind = kind;
    this.reason = reason;
  }
}

/**
 * Opens a check cookie. A configured check whose cookie is absent fails: skipping it is the flaw of
 * advisory GHSA-7r7x (checks were verified only when their cookie happened to be present).
 */
export async function openCheck(kind: CheckKind, raw: string | undefined, binding: CheckBinding, keys: JweKeys, now?: number): Promise<string> {
  if (!raw) throw new CheckError(kind, 'missing');
  const payload = (await decryptToken(raw, keys, now)) as CheckPayload | null;
  if (!payload || typeof payload.value !== 'string' || payload.value === '') throw new CheckError(kind, 'invalid');
  if (payload.provider !== binding.provider) throw new CheckError(kind, 'provider');
  if (payload.bind !== bindingHash(binding)) throw new CheckError(kind, 'binding');
  return payload.value;
}
