// The two-factor leaves: TOTP against RFC 6238's vectors with a frozen clock, the otpauth URI and its QR SVG, backup codes, sealed secrets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHOTP } from '@oslojs/otp';
import { hashBackupCode, newBackupCodes, normalizeBackupCode } from '../../src/core/backup-codes.js';
import { qrSvg } from '../../src/core/qr-svg.js';
import { secretBox } from '../../src/core/secret-box.js';
import { matchTotp, newTotpKey, totpStep, totpUri } from '../../src/core/totp.js';

/** RFC 6238 Appendix B: the SHA-1 seed, and T (seconds) → the 8-digit TOTP; a 6-digit code is its last six digits. */
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('RFC 6238 Appendix B vectors (SHA-1): each code matches its own step at its own time', () => {
  for (const [seconds, eight] of RFC_VECTORS) {
    const nowMs = seconds * 1000;
    assert.equal(generateHOTP(RFC_KEY, BigInt(totpStep(nowMs)), 8), eight, `T=${seconds}`);
    assert.equal(matchTotp(RFC_KEY, eight.slice(2), nowMs), totpStep(nowMs), `T=${seconds}`);
  }
});

test('one step of drift either way is accepted, two are not; malformed codes never match', () => {
  const nowMs = 1111111111 * 1000;
  const code = (offset: number) => generateHOTP(RFC_KEY, BigInt(totpStep(nowMs) + offset), 6);
  assert.equal(matchTotp(RFC_KEY, code(-1), nowMs), totpStep(nowMs) - 1);
  assert.equal(matchTotp(RFC_KEY, code(1), nowMs), totpStep(nowMs) + 1);
  assert.equal(matchTotp(RFC_KEY, code(-2), nowMs), null);
  assert.equal(matchTotp(RFC_KEY, code(2), nowMs), null);
  assert.equal(matchTotp(RFC_KEY, `${code(0).slice(0, 3)} ${code(0).slice(3)}`, nowMs), totpStep(nowMs), 'a space as apps show it');
  for (const bad of ['', '12345', '1234567', 'abcdef', '１２３４５６', `${code(0)}0`]) assert.equal(matchTotp(RFC_KEY, bad, nowMs), null, bad);
});

test('a fresh key is 160 random bits; the otpauth URI names issuer, account, SHA1, 6 digits, 30 s; the QR is an SVG', () => {
  const key = newTotpKey();
  assert.equal(key.length, 20);
  assert.notDeepEqual(newTotpKey(), key);
  const uri = new URL(totpUri('Acme App', 'ann@example.com', key));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/Acme App:ann@example.com');
  assert.equal(uri.searchParams.get('issuer'), 'Acme App');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
  assert.equal(uri.searchParams.get('digits'), '6');
  assert.equal(uri.searchParams.get('period'), '30');
  assert.match(uri.searchParams.get('secret') ?? '', /^[A-Z2-7]{32}$/);
  const svg = qrSvg(uri.href);
  assert.match(svg, /^<svg[^>]*viewBox=/);
  assert.ok(svg.endsWith('</svg>'));
  assert.ok(!svg.includes('<script'), 'nothing executable');
});

test('backup codes: ten distinct xxxxx-xxxxx codes; typed in any case with or without the dash they normalize to one hash', () => {
  const codes = newBackupCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  const [first] = codes as [string];
  const hash = hashBackupCode(normalizeBackupCode(first)!);
  for (const typed of [first.toUpperCase(), first.replace('-', ''), ` ${first.replace('-', ' ')} `]) assert.equal(hashBackupCode(normalizeBackupCode(typed)!), hash, typed);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.ok(!hash.includes(first.replace('-', '')));
  for (const bad of ['', 'short', 'abcde-fghj0', 'abcdefghijk', 42, null]) assert.equal(normalizeBackupCode(bad), null, String(bad));
});

test('sealed secrets: the current secret seals, an old one still opens (rotated: true), another purpose or secret does not', async () => {
  const sealed = await secretBox('old-secret-0123456789abcdef0123456789', 'totp').seal('JBSWY3DPEHPK3PXP');
  assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.deepEqual(await secretBox('old-secret-0123456789abcdef0123456789', 'totp').open(sealed), { plaintext: 'JBSWY3DPEHPK3PXP', rotated: false });
  assert.deepEqual(await secretBox(['new-secret-0123456789abcdef012345678', 'old-secret-0123456789abcdef0123456789'], 'totp').open(sealed), {
    plaintext: 'JBSWY3DPEHPK3PXP',
    rotated: true,
  });
  assert.equal(await secretBox('old-secret-0123456789abcdef0123456789', 'session').open(sealed), null);
  assert.equal(await secretBox('other-secret-0123456789abcdef01234567', 'totp').open(sealed), null);
  // A different first character of the tag (the last JWE part): always other bytes, unlike the last characters, whose low bits base64url ignores.
  const parts = sealed.split('.');
  const tag = parts[4]!;
  const tampered = [...parts.slice(0, 4), `${tag[0] === 'A' ? 'B' : 'A'}${tag.slice(1)}`].join('.');
  assert.equal(await secretBox('old-secret-0123456789abcdef0123456789', 'totp').open(tampered), null);
  assert.throws(() => secretBox('', 'totp'), TypeError);
});
