// The one JWE format gatehouse issues (compact, `dir` + `A256GCM`, RFC 7516), on crypto.ts's AES-GCM.
// One module for every runtime and for gatehouse-auth/next/middleware alike.
import { aesGcmOpen, aesGcmSeal, base64urlDecode, base64urlEncode, randomBytes, type AesGcmKey } from './crypto.js';

/** base64url('{"alg":"dir","enc":"A256GCM"}'), the protected header jose and next-auth v4 write. */
export const DIR_A256GCM_HEADER = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0';

const IV_BYTES = 12; // RFC 7518 §5.3: GCM uses a 96-bit IV
const encoder = new TextEncoder();
const decoder = new TextDecoder();
// RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header.
const HEADER_AAD = encoder.encode(DIR_A256GCM_HEADER);

export async function sealJwe(plaintext: string, key: AesGcmKey): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const { ciphertext, tag } = await aesGcmSeal(key, iv, encoder.encode(plaintext), HEADER_AAD);
  return `${DIR_A256GCM_HEADER}..${base64urlEncode(iv)}.${base64urlEncode(ciphertext)}.${base64urlEncode(tag)}`;
}

/**
 * Reads a header and checks it is exactly what we accept: `dir` + `A256GCM`, no compression
 * (jose advisory GHSA-hhhv: a `zip` bomb), no `crit` extensions we would have to honour.
 */
function acceptableHeader(encoded: string): boolean {
  if (encoded === DIR_A256GCM_HEADER) return true;
  if (encoded.length > 512) return false;
  const bytes = base64urlDecode(encoded);
  if (!bytes) return false;
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes));
  } catch {
    return false;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return false;
  const h = header as Record<string, unknown>;
  return h.alg === 'dir' && h.enc === 'A256GCM' && h.zip === undefined && h.crit === undefined;
}

/** Opens a compact JWE with any of the keys; null when it is not ours, malformed or tampered. */
export async function openJwe(token: string, keys: readonly AesGcmKey[]): Promise<string | null> {
  return (await openJweWithKey(token, keys))?.plaintext ?? null;
}

/** As openJwe, also telling which key opened it (0 is the current secret; more means a rotated-out one). */
export async function openJweWithKey(token: string, keys: readonly AesGcmKey[]): Promise<{ plaintext: string; keyIndex: number } | null> {
  const parts = token.split('.');
  if (parts.length !== 5) return null;
  const [header, encryptedKey, ivPart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  // `dir` has no encrypted key (RFC 7516 §4.1.1 with RFC 7518 §4.5).
  if (encryptedKey !== '' || !acceptableHeader(header)) return null;
  const iv = base64urlDecode(ivPart);
  const tag = base64urlDecode(tagPart);
  const ciphertext = base64urlDecode(ciphertextPart);
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES) return null;
  const aad = header === DIR_A256GCM_HEADER ? HEADER_AAD : encoder.encode(header);
  for (const [keyIndex, key] of keys.entries()) {
    // A wrong key (a rotated-out secret) fails its tag: try the next one.
    const plaintext = await aesGcmOpen(key, iv, ciphertext, tag, aad);
    if (plaintext) return { plaintext: decoder.decode(plaintext), keyIndex };
  }
  return null;
}
