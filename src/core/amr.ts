// Authentication methods (RFC 8176 `amr` values) and the step-up check: which factors a sign-in used, and whether they satisfy what an action asks for.

/**
 * The values gatehouse writes. All but `ext` are RFC 8176 §2 registered values:
 * - `pwd`: a password (the Password provider, a Credentials `authorize`).
 * - `otp`: a one-time secret: a TOTP or backup code, an emailed code, a magic link. RFC 8176 has no
 *   value for email; a link or code sent to the inbox is a one-time password delivered out of band
 *   (its examples, RFC 4226/6238, are not exhaustive), so it is `otp` too.
 * - `hwk` + `user`: a passkey with user verification (proof of a hardware-bound key, and the
 *   authenticator's own check of the user); together they count as two factors.
 * - `mfa`: added when the sign-in used two factors (a first factor and a second step, or `hwk`+`user`).
 * - `ext`: not registered. OAuth / OpenID Connect: an external provider vouched for the user, by
 *   methods gatehouse does not see. (RFC 8176 §1: the values' meaning is agreed by the parties.)
 */
export type AuthMethod = 'pwd' | 'otp' | 'hwk' | 'user' | 'mfa' | 'ext' | 'swk' | 'sms' | 'pin' | 'fpt' | 'face';

/** What an action asks for: every listed method (`['otp']`, `['mfa']`), or at least this many factors. */
export type FactorRequirement = readonly AuthMethod[] | number;

const KNOWN: ReadonlySet<string> = new Set<AuthMethod>(['pwd', 'otp', 'hwk', 'user', 'mfa', 'ext', 'swk', 'sms', 'pin', 'fpt', 'face']);

export function isAuthMethod(value: unknown): value is AuthMethod {
  return typeof value === 'string' && KNOWN.has(value);
}

/** The methods of a stored claim (untrusted shape: an old token, another app's session): known values only, once each. */
export function amrOf(value: unknown): AuthMethod[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter(isAuthMethod))];
}

/** A passkey with user verification is two factors at once (something held, something known or inherent). */
const isTwoFactorSet = (methods: readonly AuthMethod[]) => methods.includes('hwk') && methods.includes('user');

/**
 * The methods of one sign-in: the first factor's, then (if any) the second step's; `mfa` is added
 * when two steps were passed or the set is two factors by itself.
 */
export function combineAmr(first: readonly AuthMethod[], second: readonly AuthMethod[] = []): AuthMethod[] {
  const methods: AuthMethod[] = [...new Set([...first, ...second].filter((m) => m !== 'mfa'))];
  if ((first.length > 0 && second.length > 0) || isTwoFactorSet(methods) || first.includes('mfa')) methods.push('mfa');
  return methods;
}

/** How many factors a set of methods is: two with `mfa` (or a verified passkey), else one (none when empty). */
export function factorCount(methods: readonly AuthMethod[]): number {
  if (methods.length === 0) return 0;
  return methods.includes('mfa') || isTwoFactorSet(methods) ? 2 : 1;
}

/** Whether `methods` meet `required`: every listed method present, or at least that many factors. */
export function satisfiesFactors(methods: readonly AuthMethod[], required: FactorRequirement | undefined): boolean {
  if (required === undefined) return true;
  if (typeof required === 'number') return factorCount(methods) >= required;
  return required.every((method) => methods.includes(method));
}
