// Account lockout arithmetic: the threshold, the growing lock, the reservation check, retry-after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LOCKOUT, lockAfterFailure, lockDuration, lockedFor, overBudget, validLockout } from '../../src/core/lockout.js';

const NOW = Date.UTC(2026, 0, 1, 12);

test('each lock in a row doubles, up to the cap', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 11, 12, 100].map((n) => lockDuration(DEFAULT_LOCKOUT, n)),
    [60, 120, 240, 480, 61_440, 86_400, 86_400],
  );
  assert.equal(lockDuration({ threshold: 3, lockSeconds: 30, factor: 1, maxLockSeconds: 30 }, 9), 30);
});

test('the threshold-th failure locks; the ones before do not', () => {
  assert.equal(lockAfterFailure(DEFAULT_LOCKOUT, 4, 0, NOW), null);
  assert.equal(lockAfterFailure(DEFAULT_LOCKOUT, 5, 0, NOW)?.valueOf(), NOW + 60_000);
  assert.equal(lockAfterFailure(DEFAULT_LOCKOUT, 5, 2, NOW)?.valueOf(), NOW + 240_000);
});

test('an attempt counted past the threshold is refused without checking the password', () => {
  assert.equal(overBudget(DEFAULT_LOCKOUT, 5), false);
  assert.equal(overBudget(DEFAULT_LOCKOUT, 6), true);
});

test('retry-after is whole seconds, at least one, zero once the lock has ended', () => {
  assert.equal(lockedFor({ lockedUntil: null }, NOW), 0);
  assert.equal(lockedFor({ lockedUntil: new Date(NOW + 59_001) }, NOW), 60);
  assert.equal(lockedFor({ lockedUntil: new Date(NOW + 1) }, NOW), 1);
  assert.equal(lockedFor({ lockedUntil: new Date(NOW) }, NOW), 0);
  assert.equal(lockedFor({ lockedUntil: new Date(NOW - 1) }, NOW), 0);
});

test('rules are checked', () => {
  assert.equal(validLockout(DEFAULT_LOCKOUT), true);
  assert.equal(validLockout({ ...DEFAULT_LOCKOUT, threshold: 0 }), false);
  assert.equal(validLockout({ ...DEFAULT_LOCKOUT, factor: 0.5 }), false);
  assert.equal(validLockout({ ...DEFAULT_LOCKOUT, maxLockSeconds: 1 }), false);
});
