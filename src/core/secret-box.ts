// Secrets at rest (TOTP keys): sealed with the instance secret as a compact JWE (dir + A256GCM), under a key of their own purpose.
import { deriveKeys, secretList } from './jwt.js';
import { openJweWithKey, sealJwe } from './jwe.js';

export interface SecretBox {
  seal(plaintext: string): Promise<string>;
  /** The plaintext, and whether a rotated-out secret opened it (re-seal then); null for anything not sealed by us. */
  open(sealed: string): Promise<{ plaintext: string; rotated: boolean } | null>;
}

/**
 * `purpose` is the HKDF salt: a sealed TOTP key never opens as a session cookie, nor the reverse.
 * The first secret seals, every one opens, as for session cookies (`secret: [new, old]`).
 */
export function secretBox(secret: string | readonly string[], purpose: string): SecretBox {
  const secrets = secretList(secret);
  if (secrets.length === 0) throw new TypeError('secretBox: a secret is required');
  const keys = deriveKeys(secrets, purpose);
  return {
    async seal(plaintext) {
      const [current] = await keys.keys();
      return sealJwe(plaintext, current!);
    },
    async open(sealed) {
      if (typeof sealed !== 'string' || sealed.length > 16 * 1024) return null;
      const opened = await openJweWithKey(sealed, await keys.keys());
      return opened && { plaintext: opened.plaintext, rotated: opened.keyIndex > 0 };
    },
  };
}
