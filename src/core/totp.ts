// TOTP (RFC 6238) over @oslojs/otp's HOTP (RFC 4226): which time step a code matches, so a used step can be refused on replay.
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';
import { randomBytes } from './crypto.js';

/** RFC 6238 §4: the time step authenticator apps use. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/**
 * RFC 6238 §5.2 recommends at most one step of drift either way: a code typed just as it changes
 * still works, and a guessed code has three chances in a million, not more.
 */
export const TOTP_WINDOW = 1;
/** RFC 4226 §4 asks for at least 128 bits of key; 160 (SHA-1's block output) is what apps expect. */
const KEY_BYTES = 20;

export function newTotpKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

/** The RFC 6238 time step of `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The step within the window whose code `code` is, or null. Every step of the window is compared
 * (in constant time each), so the answer's timing does not say which one matched. The caller
 * refuses a step at or before the last one used (RFC 6238 §5.2: a code is valid once).
 */
export function matchTotp(key: Uint8Array, code: string, nowMs: number): number | null {
  const digits = code.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || digits.length !== TOTP_DIGITS) return null;
  const now = totpStep(nowMs);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, digits) && matched === null) matched = step;
  }
  return matched;
}

/** The `otpauth://totp/…` URI authenticator apps scan (Key Uri Format: issuer, account, base32 secret, SHA1, 6 digits, 30 s). */
export function totpUri(issuer: string, account: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, account, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}
