// `gatehouse-auth secret`: a fresh AUTH_SECRET.
import { randomBytes } from 'node:crypto';

/**
 * 32 bytes from the CSPRNG, base64url (43 characters, no padding): 256 bits, the size of the
 * A256GCM key the secret is stretched into (HKDF, RFC 5869), so the secret is never the weak link.
 */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
