// Account lockout arithmetic: after N consecutive failed passwords an account locks, each lock in a row longer than the last.

export interface LockoutRule {
  /** Consecutive failures that lock the account. */
  threshold: number;
  /** Seconds of the first lock. */
  lockSeconds: number;
  /** Each further lock in a row lasts this many times the previous one. */
  factor: number;
  /** No lock lasts longer than this (seconds). */
  maxLockSeconds: number;
}

/**
 * NIST SP 800-63B-3 §5.2.2 caps consecutive failures at 100 per account; five with a growing lock
 * stops online guessing far earlier while a person who mistypes waits one minute at first.
 */
export const DEFAULT_LOCKOUT: Readonly<LockoutRule> = Object.freeze({ threshold: 5, lockSeconds: 60, factor: 2, maxLockSeconds: 24 * 60 * 60 });

/** What the store keeps of one account's password attempts. */
export interface LockoutState {
  /** Failures since the last success or the last lock. */
  failures: number;
  /** Locks in a row since the last success. */
  lockouts: number;
  lockedUntil: Date | null;
}

export function validLockout(rule: LockoutRule): boolean {
  return Number.isInteger(rule.threshold) && rule.threshold >= 1 && rule.lockSeconds > 0 && rule.factor >= 1 && rule.maxLockSeconds >= rule.lockSeconds;
}

/** Length of the `n`th lock in a row (1-based), in seconds: lockSeconds × factor^(n−1), capped. */
export function lockDuration(rule: LockoutRule, n: number): number {
  const exponent = Math.max(0, Math.min(n - 1, 64));
  return Math.min(rule.lockSeconds * rule.factor ** exponent, rule.maxLockSeconds);
}

/** Whole seconds until the lock ends (at least 1), or 0 when the account is not locked at `nowMs`. */
export function lockedFor(state: Pick<LockoutState, 'lockedUntil'>, nowMs: number): number {
  if (!state.lockedUntil) return 0;
  const left = state.lockedUntil.valueOf() - nowMs;
  return left > 0 ? Math.max(1, Math.ceil(left / 1000)) : 0;
}

/**
 * The verdict on a failure counted BEFORE the password was checked (the count is a reservation,
 * so parallel guesses cannot all slip under the threshold): `attempt` is the count the store
 * returned. Within the threshold the password is checked; past it the attempt is refused unseen.
 */
export function overBudget(rule: LockoutRule, attempt: number): boolean {
  return attempt > rule.threshold;
}

/** After a wrong password: the lock to set (when this attempt reached the threshold), else null. */
export function lockAfterFailure(rule: LockoutRule, attempt: number, lockoutsSoFar: number, nowMs: number): Date | null {
  if (attempt < rule.threshold) return null;
  return new Date(nowMs + lockDuration(rule, lockoutsSoFar + 1) * 1000);
}
