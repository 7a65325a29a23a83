// JWE-level probes from the advisories file (D1 decompression bomb, D2 algorithm confusion, #10 purpose separation).
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { deriveEncryptionKey } from '../../src/core/crypto.js';
import { encode } from '../../src/jwt.js';
import { credentialsConfig } from '../helpers/config.js';
import { SECRET, startServer } from '../helpers/server.js';

const b64 = (input: Buffer | string) => Buffer.from(input).toString('base64url');

/** A dir/A256GCM JWE with an arbitrary protected header, encrypted under the real session key. */
const sessionKey = await deriveEncryptionKey(SECRET, '');

function forgeJwe(header: Record<string, unknown>, plaintext: Buffer): string {
  const key = sessionKey;
  const protectedHeader = b64(JSON.stringify(header));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(protectedHeader));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${protectedHeader}..${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`;
}

describe('advisory probes on the session cookie', () => {
  test('D1: a compressed (zip: DEF) JWE is refused (decode does not support zip)', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const bomb = deflateRawSync(Buffer.from(JSON.stringify({ sub: 'u1', pad: 'a'.repeat(8_000_000) })));
      const token = forgeJwe({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, bomb);
      assert.ok(token.length < 14_000, 'fits in a Cookie header');
      const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${token}` } });
      assert.deepEqual(await response.json(), {});
    } finally {
      await server.close();
    }
  });

  test('D2: other algorithms, JWS, nested and oversized tokens are no session', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const header = (h: Record<string, unknown>) => b64(JSON.stringify(h));
      const tokens = [
        `${header({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2 ** 31, p2s: 'AAAAAAAAAAAAAAAAAAAAAA' })}.${b64(randomBytes(40))}.${b64(randomBytes(12))}.${b64(randomBytes(20))}.${b64(randomBytes(16))}`,
        `${header({ alg: 'A256KW', enc: 'A256GCM' })}.${b64(randomBytes(40))}.${b64(randomBytes(12))}.${b64(randomBytes(20))}.${b64(randomBytes(16))}`,
        `${header({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${b64(randomBytes(256))}.${b64(randomBytes(12))}.${b64(randomBytes(20))}.${b64(randomBytes(16))}`,
        `${header({ alg: 'none' })}.${b64(JSON.stringify({ sub: 'u1' }))}.`,
        `${header({ alg: 'HS256', typ: 'JWT' })}.${b64(JSON.stringify({ sub: 'u1' }))}.${b64(randomBytes(32))}`,
        forgeJwe({ alg: 'dir', enc: 'A128CBC-HS256' }, Buffer.from('{"sub":"u1"}')),
        `${header({ alg: 'dir', enc: 'A256GCM' })}.${'A'.repeat(3000)}.${'A'.repeat(3000)}.${'A'.repeat(3000)}.${'A'.repeat(2000)}`,
      ];
      for (const token of tokens) {
        const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${token}` } });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), {}, token.slice(0, 40));
      }
      // The control: the same forging path with the right algorithms is a session, so the probes above are meaningful.
      const genuine = forgeJwe({ alg: 'dir', enc: 'A256GCM' }, Buffer.from(JSON.stringify({ sub: 'u1', email: 'a@x.io', exp: Math.floor(Date.now() / 1000) + 60 })));
      const ok = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${genuine}` } });
      assert.equal(((await ok.json()) as { user?: { email: string } }).user?.email, 'a@x.io');
    } finally {
      await server.close();
    }
  });

  test('#10: a JWE sealed for a check cookie (salted key) is not a session', async () => {
    const server = await startServer(credentialsConfig());
    try {
      for (const salt of ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce']) {
        const sealed = await encode({ token: { value: 'x', provider: 'idp' }, secret: SECRET, salt });
        const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${sealed}` } });
        assert.deepEqual(await response.json(), {}, salt);
        const chunk = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token.0=${sealed}` } });
        assert.deepEqual(await chunk.json(), {}, `${salt} as chunk`);
      }
    } finally {
      await server.close();
    }
  });
});
