// The node:crypto JWE path against jose, the reference implementation, both ways and on tampered input.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { EncryptJWT, jwtDecrypt, CompactEncrypt } from 'jose';
import { decryptToken, deriveKeys, encryptToken } from '../../src/core/jwt.js';
import { DIR_A256GCM_HEADER, openJwe, sealJwe } from '../../src/core/jwe.js';

const keys = deriveKeys(['vector-secret-0123456789']);
const now = Math.floor(Date.now() / 1000);

describe('JWE dir + A256GCM on node:crypto', () => {
  test('our tokens decrypt in jose with the same claims', async () => {
    const token = encryptToken({ sub: 'u1', name: 'Ann', nested: { a: [1, 2] } }, keys, 3600, now);
    assert.ok(token.startsWith(`${DIR_A256GCM_HEADER}..`));
    const { payload, protectedHeader } = await jwtDecrypt(token, keys.encrypt, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    assert.deepEqual(protectedHeader, { alg: 'dir', enc: 'A256GCM' });
    assert.equal(payload.sub, 'u1');
    assert.deepEqual(payload.nested, { a: [1, 2] });
    assert.equal(payload.iat, now);
    assert.equal(payload.exp, now + 3600);
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
  });

  test('jose tokens decrypt here, including a header with extra members', async () => {
    for (let i = 0; i < 20; i++) {
      const claims = { sub: `u${i}`, unicode: 'ünïcødé ✓ 😀', n: i };
      const token = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt(now).setExpirationTime(now + 60).encrypt(keys.encrypt);
      assert.deepEqual({ ...decryptToken(token, keys, now) }, { ...claims, iat: now, exp: now + 60 });
    }
    const withKid = await new EncryptJWT({ sub: 'k' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'x' }).encrypt(keys.encrypt);
    assert.equal(decryptToken(withKid, keys, now)?.sub, 'k');
  });

  test('exp, nbf and iat are checked with 15 s of tolerance, as jose does', () => {
    const key = keys.encrypt;
    const seal = (claims: Record<string, unknown>) => sealJwe(JSON.stringify(claims), key);
    assert.equal(decryptToken(seal({ sub: 'a', exp: now - 10 }), keys, now)?.sub, 'a', 'within tolerance');
    assert.equal(decryptToken(seal({ sub: 'a', exp: now - 16 }), keys, now), null);
    assert.equal(decryptToken(seal({ sub: 'a', exp: '9999999999' }), keys, now), null);
    assert.equal(decryptToken(seal({ sub: 'a', nbf: now + 60 }), keys, now), null);
    assert.equal(decryptToken(seal({ sub: 'a', iat: 'yesterday' }), keys, now), null);
    assert.equal(decryptToken(sealJwe('[1,2]', key), keys, now), null);
    assert.equal(decryptToken(sealJwe('not json', key), keys, now), null);
  });

  test('any tampered part, wrong key, zip or crit header, or wrong shape is refused', async () => {
    const token = encryptToken({ sub: 'u1' }, keys, 60, now);
    const parts = token.split('.');
    const flip = (part: string) => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
    for (const index of [0, 2, 3, 4]) {
      const copy = [...parts];
      copy[index] = flip(copy[index]!);
      assert.equal(openJwe(copy.join('.'), keys.decrypt), null, `part ${index}`);
    }
    assert.equal(openJwe([parts[0], 'AAAA', ...parts.slice(2)].join('.'), keys.decrypt), null, 'encrypted key present');
    assert.equal(openJwe(parts.slice(0, 4).join('.'), keys.decrypt), null, 'four parts');
    assert.equal(openJwe(token, [createSecretKey(randomBytes(32))]), null, 'wrong key');
    const zip = await new CompactEncrypt(new TextEncoder().encode('{"sub":"z"}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' } as never).encrypt(keys.encrypt).catch(() => null);
    if (zip) assert.equal(openJwe(zip, keys.decrypt), null, 'zip header');
    const crit = await new CompactEncrypt(new TextEncoder().encode('{"sub":"c"}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', crit: ['b64'], b64: true } as never).encrypt(keys.encrypt).catch(() => null);
    if (crit) assert.equal(openJwe(crit, keys.decrypt), null, 'crit header');
    const cbc = await new CompactEncrypt(new TextEncoder().encode('{"sub":"c"}')).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' }).encrypt(createSecretKey(randomBytes(32)));
    assert.equal(openJwe(cbc, keys.decrypt), null, 'other enc');
  });

  test('rotation: every key decrypts, the first encrypts', () => {
    const rotated = deriveKeys(['new-secret-0123456789', 'vector-secret-0123456789']);
    const old = encryptToken({ sub: 'old' }, keys, 60, now);
    assert.equal(decryptToken(old, rotated, now)?.sub, 'old');
    const fresh = encryptToken({ sub: 'new' }, rotated, 60, now);
    assert.equal(decryptToken(fresh, keys, now), null);
  });
});
