// The JWE module against jose, the reference implementation, both ways and on tampered input (run on the
// node:crypto fast path and, by web-crypto.test.ts, on Web Crypto alone).
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { EncryptJWT, jwtDecrypt, CompactEncrypt } from 'jose';
import { deriveEncryptionKey, importAesGcmKey } from '../../src/core/crypto.js';
import { decryptToken, deriveKeys, encryptToken } from '../../src/core/jwt.js';
import { DIR_A256GCM_HEADER, openJwe, sealJwe } from '../../src/core/jwe.js';

const keys = deriveKeys(['vector-secret-0123456789']);
/** The raw session key, for jose. */
const rawKey = await deriveEncryptionKey('vector-secret-0123456789', '');
const [key] = await keys.keys();
const decrypt = await keys.keys();
const now = Math.floor(Date.now() / 1000);

describe('JWE dir + A256GCM', () => {
  test('our tokens decrypt in jose with the same claims', async () => {
    const token = await encryptToken({ sub: 'u1', name: 'Ann', nested: { a: [1, 2] } }, keys, 3600, now);
    assert.ok(token.startsWith(`${DIR_A256GCM_HEADER}..`));
    const { payload, protectedHeader } = await jwtDecrypt(token, rawKey, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
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
      const token = await new EncryptJWT(claims)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .encrypt(rawKey);
      assert.deepEqual({ ...(await decryptToken(token, keys, now)) }, { ...claims, iat: now, exp: now + 60 });
    }
    const withKid = await new EncryptJWT({ sub: 'k' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'x' }).encrypt(rawKey);
    assert.equal((await decryptToken(withKid, keys, now))?.sub, 'k');
  });

  test('exp, nbf and iat are checked with 15 s of tolerance, as jose does', async () => {
    const seal = (claims: Record<string, unknown>) => sealJwe(JSON.stringify(claims), key!);
    assert.equal((await decryptToken(await seal({ sub: 'a', exp: now - 10 }), keys, now))?.sub, 'a', 'within tolerance');
    assert.equal(await decryptToken(await seal({ sub: 'a', exp: now - 16 }), keys, now), null);
    assert.equal(await decryptToken(await seal({ sub: 'a', exp: '9999999999' }), keys, now), null);
    assert.equal(await decryptToken(await seal({ sub: 'a', nbf: now + 60 }), keys, now), null);
    assert.equal(await decryptToken(await seal({ sub: 'a', iat: 'yesterday' }), keys, now), null);
    assert.equal(await decryptToken(await sealJwe('[1,2]', key!), keys, now), null);
    assert.equal(await decryptToken(await sealJwe('not json', key!), keys, now), null);
  });

  test('any tampered part, wrong key, zip or crit header, or wrong shape is refused', async () => {
    const token = await encryptToken({ sub: 'u1' }, keys, 60, now);
    const parts = token.split('.');
    const flip = (part: string) => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
    for (const index of [0, 2, 3, 4]) {
      const copy = [...parts];
      copy[index] = flip(copy[index]!);
      assert.equal(await openJwe(copy.join('.'), decrypt), null, `part ${index}`);
    }
    assert.equal(await openJwe([parts[0], 'AAAA', ...parts.slice(2)].join('.'), decrypt), null, 'encrypted key present');
    assert.equal(await openJwe(parts.slice(0, 4).join('.'), decrypt), null, 'four parts');
    assert.equal(await openJwe(token, [await importAesGcmKey(new Uint8Array(randomBytes(32)))]), null, 'wrong key');
    const zip = await new CompactEncrypt(new TextEncoder().encode('{"sub":"z"}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' } as never)
      .encrypt(rawKey)
      .catch(() => null);
    if (zip) assert.equal(await openJwe(zip, decrypt), null, 'zip header');
    const crit = await new CompactEncrypt(new TextEncoder().encode('{"sub":"c"}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', crit: ['b64'], b64: true } as never)
      .encrypt(rawKey)
      .catch(() => null);
    if (crit) assert.equal(await openJwe(crit, decrypt), null, 'crit header');
    const cbc = await new CompactEncrypt(new TextEncoder().encode('{"sub":"c"}')).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' }).encrypt(createSecretKey(randomBytes(32)));
    assert.equal(await openJwe(cbc, decrypt), null, 'other enc');
  });

  test('rotation: every key decrypts, the first encrypts', async () => {
    const rotated = deriveKeys(['new-secret-0123456789', 'vector-secret-0123456789']);
    const old = await encryptToken({ sub: 'old' }, keys, 60, now);
    assert.equal((await decryptToken(old, rotated, now))?.sub, 'old');
    const fresh = await encryptToken({ sub: 'new' }, rotated, 60, now);
    assert.equal(await decryptToken(fresh, keys, now), null);
  });
});
