// The NIST SP 800-63B password policy: code-point lengths after NFKC, no composition rules, context words and repetition refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordPolicy, contextWords, DEFAULT_PASSWORD_POLICY, validPolicy } from '../../src/core/password-policy.js';

test('the default bounds are 8 and 128 code points', () => {
  assert.deepEqual({ ...DEFAULT_PASSWORD_POLICY }, { minLength: 8, maxLength: 128 });
  assert.deepEqual(checkPasswordPolicy('1234567'), { ok: false, violation: 'TooShort' });
  assert.deepEqual(checkPasswordPolicy('12345678'), { ok: true, password: '12345678' });
  assert.deepEqual(checkPasswordPolicy('ab'.repeat(64)), { ok: true, password: 'ab'.repeat(64) });
  assert.deepEqual(checkPasswordPolicy(`${'ab'.repeat(64)}c`), { ok: false, violation: 'TooLong' });
});

test('no composition rules: lower-case words, spaces and any script pass', () => {
  for (const password of ['correct horse battery staple', 'alllowercase', 'пароль-на-русском', '密码密码密码密码', '        x']) {
    assert.equal(checkPasswordPolicy(password).ok, true, password);
  }
});

test('length counts code points after NFKC: an emoji is one, a decomposed é is one', () => {
  // Seven emoji are seven characters (fourteen UTF-16 units): too short.
  assert.deepEqual(checkPasswordPolicy('🦊🐻🐼🐨🐯🦁🐮'), { ok: false, violation: 'TooShort' });
  assert.equal(checkPasswordPolicy('🦊🐻🐼🐨🐯🦁🐮🐷').ok, true);
  const decomposed = 'cafe\u0301cafe'; // 10 UTF-16 units, 9 code points after NFKC
  const result = checkPasswordPolicy(decomposed, { minLength: 10, maxLength: 128 });
  assert.deepEqual(result, { ok: false, violation: 'TooShort' });
  const normalized = checkPasswordPolicy('ﬁﬁﬁﬁﬁﬁﬁﬁ');
  // NFKC turns the ligature into "fi": the stored form is what the user will type elsewhere.
  assert.deepEqual(normalized, { ok: true, password: 'fi'.repeat(8) });
});

test('one character repeated and the account’s own identifiers are refused', () => {
  assert.deepEqual(checkPasswordPolicy('aaaaaaaaaa'), { ok: false, violation: 'Repetitive' });
  const words = contextWords('ann.smith@example.com', 'Ann Smith 2000');
  assert.deepEqual(words, ['ann.smith@example.com', 'ann.smith', 'Ann Smith 2000']);
  assert.deepEqual(checkPasswordPolicy('ANN.SMITH@example.com', DEFAULT_PASSWORD_POLICY, words), { ok: false, violation: 'ContextSpecific' });
  assert.deepEqual(checkPasswordPolicy('Ann.Smith', { minLength: 8, maxLength: 64 }, words), { ok: false, violation: 'ContextSpecific' });
  assert.deepEqual(checkPasswordPolicy('ann smith 2000', DEFAULT_PASSWORD_POLICY, words), { ok: false, violation: 'ContextSpecific' });
  // Containing a context word is fine: only equality is a guess an attacker tries first.
  assert.equal(checkPasswordPolicy('ann.smith loves tea', DEFAULT_PASSWORD_POLICY, words).ok, true);
});

test('a non-string is refused, not thrown', () => {
  for (const value of [undefined, null, 12345678, ['12345678'], { length: 9 }]) {
    assert.deepEqual(checkPasswordPolicy(value), { ok: false, violation: 'TooShort' });
  }
});

test('policy bounds are checked', () => {
  assert.equal(validPolicy({ minLength: 8, maxLength: 64 }), true);
  assert.equal(validPolicy({ minLength: 0, maxLength: 64 }), false);
  assert.equal(validPolicy({ minLength: 10, maxLength: 9 }), false);
  assert.equal(validPolicy({ minLength: 8.5, maxLength: 64 }), false);
  assert.equal(validPolicy({ minLength: 8, maxLength: 5000 }), false);
});
