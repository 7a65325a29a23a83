// JWE session tokens as next-auth v4 writes them: compact `dir` + `A256GCM`, HKDF-derived keys, pinned on decode.
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import type { JWT } from '../types.js';
import { deriveEncryptionKey } from './crypto.js';

/** v4's default lifetime: 30 days. */
export const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

/** v4 decodes with 15 s of clock tolerance for exp/nbf/iat. */
const CLOCK_TOLERANCE = 15;

/**
 * The keys of one purpose (salt): the first encrypts, every one decrypts, so a rotated secret
 * keeps old cookies readable. Derived once, not per request.
 */
export interface JweKeys {
  readonly encrypt: KeyObject;
  readonly decrypt: readonly KeyObject[];
}

export function deriveKeys(secrets: readonly string[], salt = ''): JweKeys {
  const decrypt = secrets.map((secret) => createSecretKey(deriveEncryptionKey(secret, salt)));
  return { encrypt: decrypt[0]!, decrypt };
}

export function secretList(secret: string | readonly string[] | undefined): string[] {
  if (secret === undefined) return [];
  return (typeof secret === 'string' ? [secret] : [...secret]).filter((s) => typeof s === 'string' && s.length > 0);
}

export async function encryptToken(token: JWT, keys: JweKeys, maxAge: number, now = Math.floor(Date.now() / 1000)): Promise<string> {
  return new EncryptJWT({ ...token } as JWTPayload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAge)
    .setJti(randomUUID())
    .encrypt(keys.encrypt);
}

/**
 * Decrypts with each key in turn; null for anything that is not a live token of ours. The
 * algorithms are pinned (no `zip`, no PBES2, no JWS), which closes the jose advisories' classes.
 */
export async function decryptToken(token: string | undefined, keys: JweKeys, now?: number): Promise<JWT | null> {
  if (!token || token.length > 64 * 1024) return null;
  const options = {
    clockTolerance: CLOCK_TOLERANCE,
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
    ...(now === undefined ? {} : { currentDate: new Date(now * 1000) }),
  };
  for (const key of keys.decrypt) {
    try {
      const { payload } = await jwtDecrypt(token, key, options);
      return payload as JWT;
    } catch {
      // next key; a token no key opens is no session
    }
  }
  return null;
}
