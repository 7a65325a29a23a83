// Two-factor backup codes: ten single-use codes shown once, stored as SHA-256 hashes (random, high-entropy: no slow hash needed, as for magic-link tokens).
import { randomBytes, sha256Hex } from './crypto.js';

/** Lower-case letters and digits without the look-alikes (0/o, 1/l/i): a code read off paper is typed right. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 10;
export const BACKUP_CODE_COUNT = 10;

/** One code, `xxxxx-xxxxx` (about 49 bits): uniform by rejection sampling, never `byte % 31`'s bias. */
function newCode(): string {
  let code = '';
  while (code.length < LENGTH) {
    for (const byte of randomBytes(16)) {
      // 248 = 8 × 31: bytes at or above it would favour the first characters.
      if (byte < 248 && code.length < LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function newBackupCodes(count = BACKUP_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newCode());
  return [...codes];
}

/** The code as typed (any case, spaces or dashes) in its canonical form, or null when it cannot be one. */
export function normalizeBackupCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  if (code.length !== LENGTH) return null;
  for (const char of code) if (!ALPHABET.includes(char)) return null;
  return code;
}

/** What is stored: the hash of the canonical code, so the table opens no account if it leaks. */
export function hashBackupCode(normalized: string): string {
  return sha256Hex(`gatehouse-auth backup code:${normalized}`);
}
