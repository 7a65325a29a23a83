// Checking a password against what the adapter stores, with the account lockout around it and the hash renewed when its cost is outdated.
import type { PasswordProvider } from '../../config.js';
import { lockAfterFailure, lockedFor, overBudget } from '../../core/lockout.js';
import { hashPassword, needsRehash, verifyPassword } from '../../core/password.js';
import { AccountLockedError } from '../../errors.js';
import type { RouteContext } from '../../context.js';
import type { AdapterUser, StoredPassword } from '../../types.js';
import { fire } from '../events.js';
import { clientIp } from '../session-index.js';

/** gatehouse's own format; anything else is a migrated hash for `verifyHash`. */
const isScrypt = (hash: string) => hash.startsWith('scrypt$');

async function matches(provider: PasswordProvider, password: string, stored: StoredPassword | null): Promise<boolean> {
  if (stored && !isScrypt(stored.hash) && provider.config.verifyHash) {
    try {
      return (await provider.config.verifyHash(password, stored.hash)) === true;
    } catch {
      return false;
    }
  }
  // No user or no password: the same scrypt work as a real check (verifyPassword's decoy), so timing tells nothing.
  return verifyPassword(password, stored?.hash, provider.scrypt);
}

function lockedError(provider: PasswordProvider, seconds: number): AccountLockedError {
  return new AccountLockedError(seconds, { provider: provider.id, reported: 'CredentialsSignin', detail: 'AccountLocked' });
}

async function locked(ctx: RouteContext, provider: PasswordProvider, user: AdapterUser, until: Date, lockouts: number): Promise<never> {
  await provider.passwords.lockPassword(user.id, until);
  await fire(ctx.config, 'lockout', {
    userId: user.id,
    provider: provider.id,
    lockedUntil: until,
    lockouts,
    ip: clientIp(ctx),
    userAgent: ctx.header('user-agent') ?? undefined,
  });
  throw lockedError(provider, lockedFor({ lockedUntil: until }, Date.now()));
}

/**
 * True when `password` is the user's. A locked account is refused before the password is looked
 * at (AccountLocked with Retry-After). The failure is counted before the check (one atomic
 * increment: parallel guesses each get their own number, so a burst cannot all slip under the
 * threshold) and forgiven after a success; the attempt that reaches the threshold locks, each lock
 * in a row longer. With `user` null the decoy check runs and the answer is false.
 */
export async function checkPassword(ctx: RouteContext, provider: PasswordProvider, user: AdapterUser | null, password: string): Promise<boolean> {
  const stored = user ? await provider.passwords.getPassword(user.id) : null;
  const rule = provider.lockout;
  if (!user || !stored || !rule) {
    const ok = await matches(provider, password, stored);
    if (ok && user && stored) await renew(provider, user, password, stored);
    return ok;
  }
  const now = Date.now();
  const wait = lockedFor(stored, now);
  if (wait > 0) throw lockedError(provider, wait);
  const attempt = await provider.passwords.countPasswordFailure(user.id);
  // Past the threshold without a lock in place (a lock that expired while others raced): lock again, unchecked.
  if (overBudget(rule, attempt)) return locked(ctx, provider, user, lockAfterFailure(rule, rule.threshold, stored.lockouts, now)!, stored.lockouts + 1);
  if (await matches(provider, password, stored)) {
    await provider.passwords.clearPasswordFailures(user.id);
    await renew(provider, user, password, stored);
    return true;
  }
  const until = lockAfterFailure(rule, attempt, stored.lockouts, now);
  if (until) return locked(ctx, provider, user, until, stored.lockouts + 1);
  return false;
}

/**
 * After a correct password: a hash made with a lower scrypt cost (or a migrated bcrypt/argon2
 * hash) is replaced by one with the configured cost. setPassword also clears failures, which is
 * right here: the password was just proven.
 */
async function renew(provider: PasswordProvider, user: AdapterUser, password: string, stored: StoredPassword): Promise<void> {
  if (!needsRehash(stored.hash, provider.scrypt)) return;
  await provider.passwords.setPassword(user.id, await hashPassword(password, provider.scrypt));
}
