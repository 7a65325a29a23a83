// hashPassword/verifyPassword/needsRehash: the stored format, wrong and tampered inputs, unicode, and parameters that can be raised.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword } from '../../src/password.js';

// Cheap parameters keep the suite quick; one test below runs the real defaults.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

test('a hash is scrypt$N$r$p$salt$hash and verifies its own password', async () => {
  const stored = await hashPassword('correct horse battery staple', FAST);
  assert.match(stored, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyPassword('correct horse battery staple', stored), true);
  assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
  assert.equal(await verifyPassword('', stored), false);
});

test('the defaults are OWASP’s scrypt minimum, and a default hash verifies', async () => {
  assert.deepEqual({ ...DEFAULT_SCRYPT_PARAMS }, { N: 131072, r: 8, p: 1 });
  const stored = await hashPassword('hunter2');
  assert.ok(stored.startsWith('scrypt$131072$8$1$'));
  assert.equal(await verifyPassword('hunter2', stored), true);
});

test('every hash has its own salt', async () => {
  const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same', a), true);
  assert.equal(await verifyPassword('same', b), true);
});

test('unicode passwords: composed and decomposed forms are the same password (NFKC), others are not', async () => {
  const stored = await hashPassword('Zoë 🦊 李', FAST);
  assert.equal(await verifyPassword('Zoë 🦊 李', stored), true);
  assert.equal(await verifyPassword('Zoë 🦊 李'.normalize('NFD'), stored), true);
  assert.equal(await verifyPassword('Zoe 🦊 李', stored), false);
});

test('a tampered, truncated or foreign hash never verifies', async () => {
  const stored = await hashPassword('secret', FAST);
  const parts = stored.split('$');
  const flipped = [...parts];
  flipped[5] = `${parts[5]!.startsWith('A') ? 'B' : 'A'}${parts[5]!.slice(1)}`;
  const cheaper = [...parts];
  cheaper[1] = '512';
  for (const bad of [
    flipped.join('$'),
    cheaper.join('$'),
    parts.slice(0, 5).join('$'),
    stored.replace('scrypt$', 'bcrypt$'),
    '$2b$10$abcdefghijklmnopqrstuv',
    '',
    'scrypt$1023$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ]) {
    assert.equal(await verifyPassword('secret', bad, FAST), false, bad);
  }
});

test('no stored hash (an OAuth-only user, an unknown email) is false, not an error', async () => {
  assert.equal(await verifyPassword('anything', null), false);
  assert.equal(await verifyPassword('anything', undefined, FAST), false);
  assert.equal(await verifyPassword(42 as unknown as string, await hashPassword('42', FAST), FAST), false);
});

test('a stored hash asking for absurd cost is refused without being computed', async () => {
  // 128 × 2^30 × 8 bytes would be a terabyte: a planted hash must not be a denial of service.
  assert.equal(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), false);
  assert.equal(await verifyPassword('x', 'scrypt$1024$8$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), false);
});

test('parameters can be raised later: needsRehash says which hashes to renew', async () => {
  const weak = await hashPassword('pw', FAST);
  const stronger = { N: 2 ** 11, r: 8, p: 1 };
  assert.equal(needsRehash(weak, FAST), false);
  assert.equal(needsRehash(weak, stronger), true);
  assert.equal(needsRehash(weak), true);
  const renewed = await hashPassword('pw', stronger);
  assert.equal(needsRehash(renewed, stronger), false);
  // Old hashes keep verifying with their own parameters.
  assert.equal(await verifyPassword('pw', weak), true);
  assert.equal(needsRehash('not a hash'), true);
});

test('hashPassword refuses bad parameters and oversized passwords with a clear error', async () => {
  await assert.rejects(hashPassword('pw', { N: 1000 }), TypeError);
  await assert.rejects(hashPassword('pw', { p: 0 }), TypeError);
  await assert.rejects(hashPassword('pw', { N: 2 ** 24, r: 64 }), TypeError);
  await assert.rejects(hashPassword(undefined as unknown as string), TypeError);
  await assert.rejects(hashPassword('x'.repeat(4097), FAST), RangeError);
  assert.equal(await verifyPassword('x'.repeat(4097), await hashPassword('x'.repeat(4096), FAST)), false);
});
