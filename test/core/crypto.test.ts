// The pooled CSPRNG behind CSRF tokens, session tokens and JWE IVs: no byte is handed out twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBuffer, randomToken } from '../../src/core/crypto.js';

test('randomToken: 64 hex characters, never repeated across many pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const token = randomToken();
    assert.match(token, /^[0-9a-f]{64}$/);
    seen.add(token);
  }
  assert.equal(seen.size, 2000);
  // Odd sizes straddle the pool's end and must still come out whole.
  for (let i = 0; i < 500; i++) assert.equal(randomToken(13).length, 26);
});

test('randomBuffer: a copy that later draws do not change', () => {
  const iv = randomBuffer(12);
  const snapshot = Buffer.from(iv);
  for (let i = 0; i < 1000; i++) randomToken();
  assert.deepEqual(iv, snapshot);
  assert.notDeepEqual(randomBuffer(12), iv);
  assert.throws(() => randomToken(5000), RangeError);
});
