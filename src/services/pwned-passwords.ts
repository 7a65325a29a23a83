// The Have I Been Pwned "Pwned Passwords" range client: is this password in a known breach? Only 5 hex digits of its SHA-1 leave the server.
import { countInRange, rangeQuery } from '../core/pwned-range.js';

export interface PwnedPasswordsOptions {
  /** The range endpoint; the prefix is appended. Default `https://api.pwnedpasswords.com/range/`. */
  endpoint?: string;
  /** Abort the request after this many milliseconds (default 2000): a sign-up must not hang on a third party. */
  timeoutMs?: number;
  /**
   * When the service cannot answer (timeout, network, 5xx, garbage): `'open'` (default) lets the
   * password through, `'closed'` refuses it with `PasswordCheckUnavailable`.
   */
  onUnavailable?: 'open' | 'closed';
  /** Seen this many times or more counts as breached (default 1). */
  minCount?: number;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Sent as `User-Agent`, which the API asks every client to set. */
  userAgent?: string;
}

export type BreachVerdict = 'ok' | 'breached' | 'unavailable';

/** A password check: `'breached'` when the range answer holds the password's hash suffix. */
export type BreachedPasswordCheck = (password: string) => Promise<BreachVerdict>;

const DEFAULT_ENDPOINT = 'https://api.pwnedpasswords.com/range/';

async function sha1Hex(text: string): Promise<string> {
  // Web Crypto, so the check runs on every runtime gatehouse does. SHA-1 is what the range API indexes by.
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * `breachedPasswords: pwnedPasswords()` in the Password provider. The password is hashed here
 * (after NFKC, as it is stored); the request carries only the prefix and `Add-Padding: true`,
 * so neither the hash nor the size of the answer tells an eavesdropper which bucket matched.
 */
export function pwnedPasswords(options: PwnedPasswordsOptions = {}): BreachedPasswordCheck {
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? 2000;
  const minCount = options.minCount ?? 1;
  const failClosed = options.onUnavailable === 'closed';
  if (!/^https?:\/\//.test(endpoint)) throw new TypeError('gatehouse: pwnedPasswords({ endpoint }) must be an http(s) URL');
  if (!(timeoutMs > 0)) throw new TypeError('gatehouse: pwnedPasswords({ timeoutMs }) must be a positive number');
  const headers: Record<string, string> = { 'Add-Padding': 'true', 'User-Agent': options.userAgent ?? 'gatehouse-auth' };
  return async (password) => {
    const { prefix, suffix } = rangeQuery(await sha1Hex(password.normalize('NFKC')));
    const unavailable: BreachVerdict = failClosed ? 'unavailable' : 'ok';
    let body: string;
    try {
      const response = await (options.fetch ?? fetch)(`${endpoint}${prefix}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return unavailable;
      body = await response.text();
    } catch {
      return unavailable;
    }
    const count = countInRange(body, suffix);
    if (count === null) return unavailable;
    return count >= minCount ? 'breached' : 'ok';
  };
}
