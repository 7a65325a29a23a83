// gatehouse-auth/password: scrypt hashing (parameters stored with each hash), the NIST password policy, and the Pwned Passwords breach check.
export { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './core/password.js';
export { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, type PasswordPolicy, type PolicyResult, type PolicyViolation } from './core/password-policy.js';
export { DEFAULT_LOCKOUT, type LockoutRule } from './core/lockout.js';
export { pwnedPasswords, type BreachedPasswordCheck, type BreachVerdict, type PwnedPasswordsOptions } from './services/pwned-passwords.js';
