// The one JWE format gatehouse issues (compact, `dir` + `A256GCM`, RFC 7516) on node:crypto directly: no WebCrypto round trips on the session hot path.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { randomBuffer } from './crypto.js';

/** base64url('{"alg":"dir","enc":"A256GCM"}'), the protected header jose and next-auth v4 write. */
export const DIR_A256GCM_HEADER = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0';

const IV_BYTES = 12; // RFC 7518 §5.3: GCM uses a 96-bit IV
const TAG_BYTES = 16; // and a 128-bit authentication tag

export function sealJwe(plaintext: string, key: KeyObject): string {
  const iv = randomBuffer(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header.
  cipher.setAAD(Buffer.from(DIR_A256GCM_HEADER, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${DIR_A256GCM_HEADER}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/**
 * Reads a header and checks it is exactly what we accept: `dir` + `A256GCM`, no compression
 * (jose advisory GHSA-hhhv: a `zip` bomb), no `crit` extensions we would have to honour.
 */
function acceptableHeader(encoded: string): boolean {
  if (encoded === DIR_A256GCM_HEADER) return true;
  if (encoded.length > 512) return false;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return false;
  const h = header as Record<string, unknown>;
  return h.alg === 'dir' && h.enc === 'A256GCM' && h.zip === undefined && h.crit === undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Opens a compact JWE with any of the keys; null when it is not ours, malformed or tampered. */
export function openJwe(token: string, keys: readonly KeyObject[]): string | null {
  return openJweWithKey(token, keys)?.plaintext ?? null;
}

/** As openJwe, also telling which key opened it (0 is the current secret; more means a rotated-out one). */
export function openJweWithKey(token: string, keys: readonly KeyObject[]): { plaintext: string; keyIndex: number } | null {
  const parts = token.split('.');
  if (parts.length !== 5) return null;
  const [header, encryptedKey, ivPart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  // `dir` has no encrypted key (RFC 7516 §4.1.1 with RFC 7518 §4.5).
  if (encryptedKey !== '' || !acceptableHeader(header)) return null;
  if (!BASE64URL.test(ivPart) || !BASE64URL.test(ciphertextPart) || !BASE64URL.test(tagPart)) return null;
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  const ciphertext = Buffer.from(ciphertextPart, 'base64url');
  const aad = Buffer.from(header, 'ascii');
  for (const [keyIndex, key] of keys.entries()) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return { plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8'), keyIndex };
    } catch {
      // wrong key or tampered: try the next secret
    }
  }
  return null;
}
