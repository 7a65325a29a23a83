// Mailed 6-digit codes outside a pending sign-in (an email sign-in's code, a signed-in user's code): one live code per binding, stored as an HMAC in the lease store, 10 minutes, 5 counted tries, single use.
import { hmacSha256Hex, randomToken, safeEqual, sha256Hex } from '../core/crypto.js';
import type { LeaseStore } from '../adapters/types.js';
import type { RateLimitStore } from '../types.js';
import type { RouteResult } from '../context.js';

/** 10 minutes: time to switch to the mail client, short enough that a code left in an inbox soon means nothing. */
export const EMAIL_CODE_SECONDS = 10 * 60;
/** Tries per code, then it is void: 5 guesses in a million codes (a 1 in 200,000 chance). */
export const EMAIL_CODE_ATTEMPTS = 5;
/**
 * Codes per binding and window. A new code starts its own five tries, so sends bound the guesses
 * too: 3 sends × 5 tries per 10 minutes, whatever `rateLimit` says (it may be off). Also against
 * mail bombing someone's inbox.
 */
export const EMAIL_CODE_SENDS = { limit: 3, window: 10 * 60 } as const;

/** Where codes and their counters live: the adapter's lease store (shared by every instance) and a rate-limit store. */
export interface CodeStores {
  readonly leases: LeaseStore;
  readonly attempts: RateLimitStore;
}

/** A JSON route's answer past a limit: 429 and Retry-After (RFC 6585 §4), not a redirect to the error page. */
export const rateLimited = (seconds: number): RouteResult => ({ status: 429, headers: { 'Retry-After': String(seconds) }, json: { error: 'RateLimited' } });

/** Six uniformly random digits (rejection sampling: 2^32 is not a multiple of 10^6). */
export function newEmailCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while (word[0]! >= limit);
  return String(word[0]! % 1_000_000).padStart(6, '0');
}

/** Store keys name a hash of the binding: an address or user id does not appear in the lease table. */
const keysOf = (binding: string) => {
  const id = sha256Hex(`gatehouse-auth mailed code:${binding}`);
  return { code: `mailed-code:${id}`, tries: `mailed-code-tries:${id}`, sends: `mailed-code-sends:${id}` };
};

/**
 * The HMAC under an instance secret of the code, its binding (the address, the user) and its issue's
 * nonce: a store leak yields no code (10^6 codes are no secret against a bare hash), a code fits its
 * binding only, and the nonce names this issue for single use.
 */
const codeHash = (secret: string, binding: string, nonce: string, code: string) => hmacSha256Hex(secret, `gatehouse-auth mailed code:${binding}:${nonce}:${code}`);

/** A new code for `binding`, voiding any earlier one; past `EMAIL_CODE_SENDS`, the seconds to wait instead. */
export async function issueCode(stores: CodeStores, secret: string, binding: string): Promise<{ code: string } | { retryAfter: number }> {
  const keys = keysOf(binding);
  const sends = await stores.attempts.hit(keys.sends, EMAIL_CODE_SENDS.window);
  if (sends.count > EMAIL_CODE_SENDS.limit) return { retryAfter: Math.max(1, Math.ceil((sends.resetAt - Date.now()) / 1000)) };
  const code = newEmailCode();
  const nonce = randomToken(16);
  await stores.leases.set(keys.code, `${nonce}.${codeHash(secret, binding, nonce, code)}`, EMAIL_CODE_SECONDS * 1000);
  await stores.attempts.reset(keys.tries);
  return { code };
}

/** Forgets the live code of `binding` (its mail never left). */
export async function voidCode(stores: CodeStores, binding: string): Promise<void> {
  await stores.leases.delete(keysOf(binding).code);
}

/**
 * Whether `input` is the live code of `binding`, spending it if so. Each try is counted before the
 * code is read (one atomic hit, so of parallel guesses only five are compared); the sixth voids the
 * code, so even the right one fails after five wrong. The tries' window opens at the first try, after
 * the code was issued, so it outlives the code. Every secret in rotation is tried; a code mailed just
 * before a rotation still works. Of two requests with the right code, one wins the nonce.
 */
export async function spendCode(stores: CodeStores, secrets: readonly string[], binding: string, input: unknown): Promise<boolean> {
  if (typeof input !== 'string') return false;
  const keys = keysOf(binding);
  const tries = await stores.attempts.hit(keys.tries, EMAIL_CODE_SECONDS);
  if (tries.count > EMAIL_CODE_ATTEMPTS) {
    await stores.leases.delete(keys.code);
    return false;
  }
  const digits = input.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return false;
  const stored = await stores.leases.get(keys.code);
  const dot = stored?.indexOf('.') ?? -1;
  if (stored == null || dot < 1) return false;
  const nonce = stored.slice(0, dot);
  const hash = stored.slice(dot + 1);
  let matched = false;
  for (const secret of secrets) matched = safeEqual(codeHash(secret, binding, nonce, digits), hash) || matched;
  if (!matched) return false;
  if (!(await stores.leases.add(`mailed-code-used:${nonce}`, '1', EMAIL_CODE_SECONDS * 1000))) return false;
  await stores.leases.delete(keys.code);
  return true;
}
