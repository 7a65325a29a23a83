// The core's crypto: the pooled CSPRNG (no byte handed out twice) and known-answer vectors for every primitive.
import assert from 'node:assert/strict';
import { createHash, hkdfSync } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  aesGcmOpen,
  aesGcmSeal,
  base64Encode,
  base64urlDecode,
  base64urlEncode,
  deriveEncryptionKey,
  hkdfSha256,
  importAesGcmKey,
  randomBytes,
  randomToken,
  safeEqual,
  safeEqualBytes,
  sha256Hex,
  toHex,
} from '../../src/core/crypto.js';
import { native, nativeScrypt } from '../../src/core/native-crypto.js';

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

test('randomBytes: a copy that later draws do not change', () => {
  const iv = randomBytes(12);
  const snapshot = iv.slice();
  for (let i = 0; i < 1000; i++) randomToken();
  assert.deepEqual(iv, snapshot);
  assert.notDeepEqual(randomBytes(12), iv);
  assert.throws(() => randomToken(5000), RangeError);
});

describe('known answers: the same vectors on the node:crypto fast path and on Web Crypto (web-crypto.test.ts)', () => {
  test('which code runs: the fast path on Node, none under GATEHOUSE_WEB_CRYPTO=1', () => {
    assert.equal(native !== undefined, process.env.GATEHOUSE_WEB_CRYPTO !== '1');
    assert.equal(nativeScrypt !== undefined, process.env.GATEHOUSE_WEB_CRYPTO !== '1');
  });

  test('SHA-256 (FIPS 180-2 appendix B), with UTF-8 input', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('ünï ✓ 😀'), createHash('sha256').update('ünï ✓ 😀', 'utf8').digest('hex'));
  });

  test("HKDF-SHA256 (RFC 5869 A.3) and v4's JWE key derivation", async () => {
    const okm = await hkdfSha256('\x0b'.repeat(22), '', '', 42);
    assert.equal(toHex(okm), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
    const key = await deriveEncryptionKey('a-secret', 'next-auth.state');
    assert.deepEqual(key, new Uint8Array(hkdfSync('sha256', 'a-secret', 'next-auth.state', 'NextAuth.js Generated Encryption Key (next-auth.state)', 32)));
  });

  test('AES-256-GCM (GCM spec test cases 13 and 14), and tampering fails', async () => {
    const key = await importAesGcmKey(new Uint8Array(32));
    const iv = new Uint8Array(12);
    const empty = await aesGcmSeal(key, iv, new Uint8Array(0), new Uint8Array(0));
    assert.equal(toHex(empty.ciphertext), '');
    assert.equal(toHex(empty.tag), '530f8afbc74536b9a963b4f1c4cb738b');
    const block = await aesGcmSeal(key, iv, new Uint8Array(16), new Uint8Array(0));
    assert.equal(toHex(block.ciphertext), 'cea7403d4d606b6e074ec5d3baf39d18');
    assert.equal(toHex(block.tag), 'd0d1c8a799996bf0265b98b5d48ab919');
    assert.deepEqual(await aesGcmOpen(key, iv, block.ciphertext, block.tag, new Uint8Array(0)), new Uint8Array(16));
    const aad = new TextEncoder().encode('header');
    const sealed = await aesGcmSeal(key, iv, new Uint8Array(16), aad);
    assert.equal(await aesGcmOpen(key, iv, sealed.ciphertext, sealed.tag, new Uint8Array(0)), null, 'other AAD');
    const flipped = sealed.tag.slice();
    flipped[0]! ^= 1;
    assert.equal(await aesGcmOpen(key, iv, sealed.ciphertext, flipped, aad), null, 'tag');
    assert.equal(await aesGcmOpen(await importAesGcmKey(new Uint8Array(32).fill(1)), iv, sealed.ciphertext, sealed.tag, aad), null, 'key');
  });

  test('base64url both ways, refusing padding and other alphabets; base64 with padding', () => {
    for (const length of [0, 1, 2, 3, 4, 31, 32, 33, 70000]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + 11) & 255);
      const encoded = base64urlEncode(bytes);
      assert.equal(encoded, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(base64urlDecode(encoded), bytes);
      assert.equal(base64Encode(bytes), Buffer.from(bytes).toString('base64'));
    }
    for (const bad of ['a', 'ab=', 'a+b/', 'ab cd', 'abcde']) assert.equal(base64urlDecode(bad), null, bad);
  });

  test('safeEqual and safeEqualBytes: equal only when every unit is', () => {
    assert.equal(safeEqual('a'.repeat(64), 'a'.repeat(64)), true);
    assert.equal(safeEqual('a'.repeat(64), `${'a'.repeat(63)}b`), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.equal(safeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  });
});
