// core/ip.ts's address checks answer as node:net's do (they replace it so the core runs without node:).
import assert from 'node:assert/strict';
import { isIPv4 as nodeIPv4, isIPv6 as nodeIPv6 } from 'node:net';
import { test } from 'node:test';
import { isIPv4, isIPv6 } from '../../src/core/ip.js';
import { hmacSha256Hex } from '../../src/core/crypto.js';
import { createHmac } from 'node:crypto';

const samples = [
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.04',
  ' 1.2.3.4',
  '1.2.3.4 ',
  '',
  '::',
  '::1',
  '1::',
  '2001:db8::1',
  '2001:0db8:0000:0000:0000:ff00:0042:8329',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7',
  '1:2:3:4:5:6:7::',
  '::1:2:3:4:5:6:7',
  '1::2::3',
  ':1:2:3:4:5:6:7',
  '1:2:3:4:5:6:7:',
  '12345::',
  'g::1',
  '::ffff:192.168.0.1',
  '::ffff:192.168.0.256',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  'fe80::1%eth0',
  'fe80::1%',
  '::ffff:1.2.3',
  'example.com',
  '1.2.3.4:80',
  '[::1]',
];

test('isIPv4 and isIPv6 agree with node:net on every sample', () => {
  for (const text of samples) {
    assert.equal(isIPv4(text), nodeIPv4(text), `isIPv4(${JSON.stringify(text)})`);
    assert.equal(isIPv6(text), nodeIPv6(text), `isIPv6(${JSON.stringify(text)})`);
  }
});

test('hmacSha256Hex is HMAC-SHA256 (RFC 4231 test case 2), on either code path', () => {
  assert.equal(hmacSha256Hex('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.equal(hmacSha256Hex('ünï', 'ï ✓'), createHmac('sha256', 'ünï').update('ï ✓').digest('hex'));
});
