// core/amr.ts: combining the methods of a sign-in (RFC 8176 values) and checking an action's factor requirement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amrOf, combineAmr, factorCount, satisfiesFactors } from '../../src/core/amr.js';

test('one step is one factor; a second step adds mfa; a verified passkey is two by itself', () => {
  assert.deepEqual(combineAmr(['pwd']), ['pwd']);
  assert.deepEqual(combineAmr(['pwd'], ['otp']), ['pwd', 'otp', 'mfa']);
  // A magic link and a TOTP code are both otp, yet two steps: still two factors.
  assert.deepEqual(combineAmr(['otp'], ['otp']), ['otp', 'mfa']);
  assert.deepEqual(combineAmr(['hwk', 'user']), ['hwk', 'user', 'mfa']);
  assert.deepEqual(combineAmr(['hwk']), ['hwk'], 'a passkey without user verification is one');
  assert.equal(factorCount([]), 0);
  assert.equal(factorCount(['pwd']), 1);
  assert.equal(factorCount(['otp', 'mfa']), 2);
});

test('a requirement is every listed method, or a number of factors', () => {
  assert.equal(satisfiesFactors(['pwd'], undefined), true);
  assert.equal(satisfiesFactors(['pwd'], ['pwd']), true);
  assert.equal(satisfiesFactors(['pwd'], ['pwd', 'otp']), false);
  assert.equal(satisfiesFactors(['pwd', 'otp', 'mfa'], ['otp']), true);
  assert.equal(satisfiesFactors(['pwd'], 2), false);
  assert.equal(satisfiesFactors(['pwd', 'otp', 'mfa'], 2), true);
  assert.equal(satisfiesFactors([], 1), false, 'an unknown authentication satisfies no count');
});

test('stored claims are read defensively: unknown values and duplicates dropped', () => {
  assert.deepEqual(amrOf(['pwd', 'pwd', 'email', 7, 'otp']), ['pwd', 'otp']);
  assert.deepEqual(amrOf('pwd'), []);
  assert.deepEqual(amrOf(undefined), []);
});
