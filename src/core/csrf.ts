// The CSRF double-submit cookie in v4's format (`token|sha256hex(token + secret)`), checked in constant time.
import { randomToken, safeEqual, sha256Hex } from './crypto.js';

export interface CsrfState {
  /** The token the client must send back as `csrfToken`. */
  token: string;
  /** The cookie value to set, when the request had no valid one. */
  cookieValue: string | undefined;
  /** The request's cookie was valid and its body carried the matching token. */
  verified: boolean;
}

/** A v4 cookie keeps working after the switch: the same hash over token and (any rotated) secret. */
function cookieTokenIfValid(cookieValue: string | undefined, secrets: readonly string[]): string | undefined {
  if (!cookieValue) return undefined;
  const bar = cookieValue.indexOf('|');
  if (bar !== 64 || cookieValue.length !== 64 + 1 + 64) return undefined;
  const token = cookieValue.slice(0, bar);
  const hash = cookieValue.slice(bar + 1);
  let valid = false;
  // Check every secret (no early exit) so the time spent does not tell which one matched.
  for (const secret of secrets) valid = safeEqual(hash, sha256Hex(token + secret)) || valid;
  return valid ? token : undefined;
}

export function issueCsrf(secret: string): { token: string; cookieValue: string } {
  const token = randomToken();
  return { token, cookieValue: `${token}|${sha256Hex(token + secret)}` };
}

/**
 * Reuses a valid cookie's token (GET `csrf` does not rotate it) or mints a new one, and says
 * whether a submitted token matches. `secrets[0]` signs new cookies; all of them verify.
 */
export function checkCsrf(cookieValue: string | undefined, submitted: unknown, secrets: readonly string[]): CsrfState {
  const existing = cookieTokenIfValid(cookieValue, secrets);
  if (existing !== undefined) {
    const verified = typeof submitted === 'string' && safeEqual(submitted, existing);
    return { token: existing, cookieValue: undefined, verified };
  }
  const fresh = issueCsrf(secrets[0]!);
  return { token: fresh.token, cookieValue: fresh.cookieValue, verified: false };
}
