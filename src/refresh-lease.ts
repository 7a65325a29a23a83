// One refresh per refresh token across every instance of the app: a short lease in a shared store, and the answer sealed there for the instances that waited.
import type { LeaseStore } from './adapters/types.js';
import { sha256Hex } from './core/crypto.js';
import { decryptToken, deriveKeys, encryptToken, secretList } from './core/jwt.js';
import type { TokenSet } from './core/oauth/spec.js';

export interface SharedRefreshOptions {
  /** Where the lease and the answer live: a gatehouse adapter's `leaseStore()` (Redis, PostgreSQL, MySQL/MariaDB, SQLite). */
  store: LeaseStore;
  /** Seals the answer at rest (it holds the new access and refresh tokens): the app's `secret`. */
  secret: string | string[];
  /**
   * How long (seconds) one instance may hold the lease before another may take over: longer than
   * the IdP's slowest answer, short enough that a crashed holder does not keep the others waiting. Default 15.
   */
  leaseSeconds?: number;
}

/** A JWE key of its own: an answer sealed here is never readable as a session cookie, nor the reverse. */
const SALT = 'gatehouse-auth token refresh';
const FIRST_WAIT_MS = 20;
const LONGEST_WAIT_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Returns `run(refreshToken, exchange)`: the first instance to take the lease calls `exchange` and
 * leaves the sealed answer for `reuseMs`; the others wait for that answer instead of spending the
 * same refresh token again (with rotation a second exchange fails or, at many IdPs, revokes the
 * whole grant: RFC 9700 §4.14.2). A holder that fails or dies frees the lease, and the next waiter
 * tries itself. Keys are the token's SHA-256, never the token.
 */
export function sharedRefresh(options: SharedRefreshOptions, reuseMs: number) {
  const secrets = secretList(options.secret);
  if (secrets.length === 0) throw new TypeError('createTokenRefresher: `shared.secret` is required: the refreshed tokens are sealed in the shared store.');
  const { store } = options;
  const keys = deriveKeys(secrets, SALT);
  const leaseMs = (options.leaseSeconds ?? 15) * 1000;

  return async function run(refreshToken: string, exchange: () => Promise<TokenSet>): Promise<TokenSet> {
    const id = sha256Hex(refreshToken);
    const leaseKey = `refresh-lease:${id}`;
    const answerKey = `refresh-answer:${id}`;
    // Past two lease lifetimes every holder has either answered or lost its lease to a waiter.
    const deadline = Date.now() + 2 * leaseMs + LONGEST_WAIT_MS;
    const answered = async (): Promise<TokenSet | undefined> => {
      const sealed = await store.get(answerKey);
      const opened = sealed ? await decryptToken(sealed, keys) : null;
      return opened && typeof opened.tokens === 'object' && opened.tokens !== null ? (opened.tokens as TokenSet) : undefined;
    };
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      const early = await answered();
      if (early) return early;
      if (await store.add(leaseKey, '1', leaseMs)) {
        try {
          // Looked again under the lease: the previous holder may have answered and let go between
          // our first look and our add, and its refresh token is spent.
          const late = await answered();
          if (late) return late;
          const tokens = await exchange();
          const answer = await encryptToken({ tokens }, keys, Math.max(1, Math.ceil(reuseMs / 1000)));
          await store.set(answerKey, answer, reuseMs);
          return tokens;
        } finally {
          await store.delete(leaseKey).catch(() => undefined);
        }
      }
      if (Date.now() > deadline) throw new Error('token refresh: another instance holds the lease and left no answer');
      await sleep(wait);
    }
  };
}
