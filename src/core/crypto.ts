// Small crypto helpers on node:crypto: random tokens, SHA-256, HKDF, and constant-time string comparison.
import { createHash, hkdfSync, randomFillSync, timingSafeEqual } from 'node:crypto';

// One call into the CSPRNG per 128 tokens instead of one per token (GET csrf mints one on every
// request). Each byte is handed out once; the pool never leaves this module.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function take(bytes: number): number {
  if (bytes > POOL_SIZE) throw new RangeError('randomToken: at most 4096 bytes');
  if (poolOffset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return start;
}

/** `bytes` fresh random bytes (a copy, safe to keep). */
export function randomBuffer(bytes: number): Buffer {
  const start = take(bytes);
  return Buffer.from(pool.subarray(start, start + bytes));
}

/** 32 random bytes as 64 lowercase hex characters: 256 bits, beyond guessing. */
export function randomToken(bytes = 32): string {
  const start = take(bytes);
  return pool.toString('hex', start, start + bytes);
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
