// How session tokens are stored: SHA-256 with a marker prefix, and how rows written raw by next-auth are still found.
import { sha256Hex } from './crypto.js';

/**
 * Stored form of a session token. The prefix marks a row as hashed: a raw next-auth token never
 * starts with it (v4 writes UUIDs or hex), so a value read from a leaked table can be recognised
 * and refused when presented as a cookie instead of being matched verbatim.
 */
export const HASH_PREFIX = 'sha256:';

export function hashSessionToken(token: string): string {
  return HASH_PREFIX + sha256Hex(token);
}

export function isHashedForm(stored: string): boolean {
  return stored.startsWith(HASH_PREFIX);
}

/**
 * The stored values that a token presented as a cookie may match, when reading a session (which
 * grants access): its hash, and the token itself only when it cannot be a stored hash, for rows
 * that next-auth wrote before the switch (they are upgraded to the hash on first use).
 */
export function lookupForms(token: string): [hashed: string] | [hashed: string, legacy: string] {
  const hashed = hashSessionToken(token);
  return isHashedForm(token) ? [hashed] : [hashed, token];
}

/**
 * The stored values a token may match when deleting: its hash, or the value itself, so a caller
 * can also revoke by the stored handle that `listSessions` returns. Deleting grants nothing, so
 * accepting the stored form here opens no door.
 */
export function deleteForms(token: string): [hashed: string, verbatim: string] {
  return [hashSessionToken(token), token];
}

/**
 * The public handle of a stored row: always a hash, so a row next-auth stored raw never hands its
 * usable token to a "your devices" list.
 */
export function storedHandle(stored: string): string {
  return isHashedForm(stored) ? stored : hashSessionToken(stored);
}

/** A stored row belongs to this token when it holds the token's hash, or the token itself (rows next-auth wrote). */
export function storedFormMatches(stored: string, token: string): boolean {
  return stored === hashSessionToken(token) || stored === token;
}

/**
 * The public id of a database session in the device list, from its stored handle: a hash of the
 * hash, so it is neither the cookie nor the stored value (a leaked list gives nothing to replay
 * or to look up), and every instance derives the same id without storing it.
 */
export function sessionIdForHandle(handle: string): string {
  return sha256Hex(`gatehouse-session-id:${handle}`).slice(0, 32);
}
