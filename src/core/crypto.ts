// Small crypto helpers on node:crypto: random tokens, SHA-256, HKDF, and constant-time string comparison.
import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as 64 lowercase hex characters: 256 bits, beyond guessing. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}

/**
 * Compares two strings without leaking where they first differ. Unequal lengths return false
 * at once: for the fixed-length hex values compared here the length is no secret.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** HKDF-SHA256 as next-auth v4 derives its JWE keys: info names the purpose, salt the cookie. */
export function deriveEncryptionKey(secret: string, salt: string): Uint8Array {
  const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`;
  return new Uint8Array(hkdfSync('sha256', secret, salt, info, 32));
}
