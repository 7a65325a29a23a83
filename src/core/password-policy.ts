// The password policy of NIST SP 800-63B-3 §5.1.1.2: length bounds on NFKC code points, no composition rules, context words refused.

export interface PasswordPolicy {
  /** Fewest code points after NFKC. NIST: at least 8 where a password is the only factor. */
  minLength: number;
  /** Most code points after NFKC. NIST: allow at least 64. */
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({ minLength: 8, maxLength: 128 });

/** Why a password was refused; each maps to the `WeakPassword` error with its own hint. */
export type PolicyViolation = 'TooShort' | 'TooLong' | 'ContextSpecific' | 'Repetitive';

export type PolicyResult = { ok: true; password: string } | { ok: false; violation: PolicyViolation };

/** Checks the bounds a policy option may take, at configuration time. */
export function validPolicy(policy: PasswordPolicy): boolean {
  const { minLength, maxLength } = policy;
  return Number.isInteger(minLength) && Number.isInteger(maxLength) && minLength >= 1 && maxLength >= minLength && maxLength <= 1024;
}

/**
 * `password` normalized (NFKC, §5.1.1.2: "SHOULD be applied") or why it is refused. Length
 * counts code points, so an emoji is one character as the user sees it. No rule asks for digits
 * or symbols (§5.1.1.2: verifiers SHOULD NOT impose composition rules); instead values a guesser
 * tries first are refused: the account's own identifiers (`context`: the email, its local part,
 * the name) and one character repeated.
 */
export function checkPasswordPolicy(password: unknown, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY, context: readonly string[] = []): PolicyResult {
  if (typeof password !== 'string') return { ok: false, violation: 'TooShort' };
  const normalized = password.normalize('NFKC');
  const points = [...normalized];
  if (points.length < policy.minLength) return { ok: false, violation: 'TooShort' };
  if (points.length > policy.maxLength) return { ok: false, violation: 'TooLong' };
  if (points.every((point) => point === points[0])) return { ok: false, violation: 'Repetitive' };
  const folded = normalized.toLowerCase();
  for (const word of context) {
    const candidate = word.normalize('NFKC').trim().toLowerCase();
    if (candidate.length >= 3 && folded === candidate) return { ok: false, violation: 'ContextSpecific' };
  }
  return { ok: true, password: normalized };
}

/** The words a password must not equal for one account: the address, its local part, the name. */
export function contextWords(email: string, name?: string | null): string[] {
  const at = email.indexOf('@');
  const words = [email];
  if (at > 0) words.push(email.slice(0, at));
  if (name) words.push(name);
  return words;
}
