// Cookie serialization and parsing: the value encoding is exactly encodeURIComponent (as the `cookie` package and v4), round-tripping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeCookieValue, parseCookies, serializeCookie, writeChunked, CHUNK_SIZE } from '../../src/core/cookies.js';

const samples = [
  '',
  'abc',
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..iv_-.cipher.tag',
  `${'a'.repeat(64)}|${'b'.repeat(64)}`,
  "!~*'()-_.",
  'http://127.0.0.1:3000/path?x=1&y=2#h',
  'ünïcödé ✓',
  'semi;colon,comma "quote" \\ back',
  'percent%20already',
];

test('encodeCookieValue is encodeURIComponent, character for character', () => {
  for (const value of samples) assert.equal(encodeCookieValue(value), encodeURIComponent(value), value);
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    assert.equal(encodeCookieValue(`x${ch}y`), encodeURIComponent(`x${ch}y`), `char ${code}`);
  }
});

test('serialize then parse gives the value back', () => {
  for (const value of samples) {
    const line = serializeCookie({ name: 'n', value, options: { httpOnly: true, sameSite: 'lax' } });
    assert.equal(parseCookies(line.split(';')[0]).get('n'), value, value);
  }
});

test('chunking counts the encoded length', () => {
  // Each '|' becomes three characters: just under the limit raw, over it encoded.
  const value = '|'.repeat(Math.floor(CHUNK_SIZE / 2));
  assert.ok(value.length <= CHUNK_SIZE);
  assert.equal(writeChunked('s', value, {}, [])[0]!.name, 's.0');
  assert.deepEqual(
    writeChunked('s', 'a'.repeat(CHUNK_SIZE), {}, []).map((c) => c.name),
    ['s'],
  );
  assert.deepEqual(
    writeChunked('s', 'a'.repeat(CHUNK_SIZE + 1), {}, []).map((c) => c.name),
    ['s.0', 's.1'],
  );
});
