// Opening next-auth v5's (@auth/core's) session JWEs: compact `dir` + `A256CBC-HS512` (or `A256GCM`), keys salted with the cookie name. Read only: gatehouse re-issues in its own format.
import { aesCbcHmacOpen, aesGcmOpen, base64urlDecode, hkdfSha256, importAesCbcHmacKey, importAesGcmKey, type AesCbcHmacKey, type AesGcmKey } from './crypto.js';

/** The two content encryptions @auth/core decrypts: it writes the first and still accepts the second. */
type AuthjsEnc = 'A256CBC-HS512' | 'A256GCM';

interface AuthjsKey {
  readonly 'A256CBC-HS512': AesCbcHmacKey;
  readonly A256GCM: AesGcmKey;
}

/** The keys of one cookie name (the HKDF salt), one per secret, derived on first use and kept. */
export interface AuthjsKeys {
  keys(): Promise<readonly AuthjsKey[]>;
}

/**
 * @auth/core derives with HKDF-SHA-256 over the secret, the cookie name as salt and
 * `Auth.js Generated Encryption Key (<cookie name>)` as info; 64 bytes for A256CBC-HS512
 * (RFC 7518 §5.2.5), 32 for A256GCM. v4's info string differs, so the two never open each other.
 */
export function deriveAuthjsKeys(secrets: readonly string[], salt: string): AuthjsKeys {
  let derived: Promise<readonly AuthjsKey[]> | undefined;
  const info = `Auth.js Generated Encryption Key (${salt})`;
  return {
    keys: () =>
      (derived ??= Promise.all(
        secrets.map(async (secret) => ({
          'A256CBC-HS512': await importAesCbcHmacKey(await hkdfSha256(secret, salt, info, 64)),
          A256GCM: await importAesGcmKey(await hkdfSha256(secret, salt, info, 32)),
        })),
      )),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The header's `enc` when the rest is what @auth/core writes: `dir`, one of the two encryptions,
 * an optional `kid` (a JWK thumbprint, not needed: every key is tried, as @auth/core does without
 * one), no `zip` (jose GHSA-hhhv) and no `crit`.
 */
function acceptedEnc(encoded: string): AuthjsEnc | null {
  if (encoded.length > 512) return null;
  const bytes = base64urlDecode(encoded);
  if (!bytes) return null;
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes));
  } catch {
    return null;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return null;
  const h = header as Record<string, unknown>;
  if (h.alg !== 'dir' || h.zip !== undefined || h.crit !== undefined || (h.kid !== undefined && typeof h.kid !== 'string')) return null;
  return h.enc === 'A256CBC-HS512' || h.enc === 'A256GCM' ? h.enc : null;
}

/** The plaintext of a v5 session JWE and which secret opened it (0: the current one); null when it is not one. */
export async function openAuthjsJwe(token: string, keys: AuthjsKeys): Promise<{ plaintext: string; keyIndex: number } | null> {
  const parts = token.split('.');
  if (parts.length !== 5) return null;
  const [header, encryptedKey, ivPart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  // `dir` has no encrypted key (RFC 7516 §4.1.1 with RFC 7518 §4.5).
  if (encryptedKey !== '') return null;
  const enc = acceptedEnc(header);
  const iv = base64urlDecode(ivPart);
  const tag = base64urlDecode(tagPart);
  const ciphertext = base64urlDecode(ciphertextPart);
  if (!enc || !iv || !tag || !ciphertext) return null;
  // RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header, as sent.
  const aad = encoder.encode(header);
  for (const [keyIndex, key] of (await keys.keys()).entries()) {
    const plaintext = enc === 'A256GCM' ? (iv.length === 12 ? await aesGcmOpen(key.A256GCM, iv, ciphertext, tag, aad) : null) : await aesCbcHmacOpen(key[enc], iv, ciphertext, tag, aad);
    if (plaintext) return { plaintext: decoder.decode(plaintext), keyIndex };
  }
  return null;
}
