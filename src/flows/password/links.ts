// The Password provider's single-use links (verify an address, reset a password): random tokens stored hashed, bound to what they act on.
import type { PasswordProvider } from '../../config.js';
import { base64urlDecode, base64urlEncode, randomToken, sha256Hex } from '../../core/crypto.js';
import type { AdapterUser } from '../../types.js';

export type LinkPurpose = 'verify-email' | 'password-reset';

/** Longer than any token we issue (a UUID or SERIAL id, a dot, 64 hex), far shorter than a body limit. */
const MAX_TOKEN_LENGTH = 512;

/**
 * The link token is `<base64url(user id)>.<64 hex>`: the user id says which stored row to spend
 * (the adapter finds tokens by identifier and token), the 256 random bits are the secret.
 */
function tokenFor(userId: string): string {
  return `${base64urlEncode(new TextEncoder().encode(userId))}.${randomToken(32)}`;
}

function userIdOf(token: string): string | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || !/^[0-9a-f]{64}$/.test(token.slice(dot + 1))) return null;
  const bytes = base64urlDecode(token.slice(0, dot));
  if (!bytes) return null;
  const id = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return id === '' ? null : id;
}

/**
 * The stored identifier: the purpose, the user and a binding to the state the link acts on — the
 * address for a verification link, a fingerprint of the current password hash for a reset link.
 * So a reset link dies as soon as the password changes (by reset or change), and a verification
 * link when the address changes, without any list of outstanding tokens to clean up.
 */
function identifierFor(purpose: LinkPurpose, userId: string, binding: string): string {
  return `gatehouse:${purpose}:${userId}:${sha256Hex(binding).slice(0, 32)}`;
}

/** As the email provider (and v4) store a magic-link token: sha256(token + secret); a leaked table yields no link. */
function hashToken(token: string, secret: string): string {
  return sha256Hex(`${token}${secret}`);
}

/** What a reset link is bound to: the password hash as stored now ('' for a user without one). */
export function passwordBinding(hash: string | null | undefined): string {
  return `password:${hash ?? ''}`;
}

export function emailBinding(user: Pick<AdapterUser, 'email'>): string {
  return `email:${user.email}`;
}

/** Stores a new link token for `user` and returns it with its expiry. */
export async function issueLink(provider: PasswordProvider, input: { purpose: LinkPurpose; user: AdapterUser; binding: string; maxAge: number }): Promise<{ token: string; expires: Date }> {
  const token = tokenFor(input.user.id);
  const expires = new Date(Date.now() + input.maxAge * 1000);
  await provider.tokens.createVerificationToken({
    identifier: identifierFor(input.purpose, input.user.id, input.binding),
    token: hashToken(token, provider.secrets[0]),
    expires,
  });
  return { token, expires };
}

/** The user a link token names (before it is spent), or null for anything that is not one of ours. */
export async function linkUser(provider: PasswordProvider, token: unknown): Promise<AdapterUser | null> {
  if (typeof token !== 'string') return null;
  const userId = userIdOf(token);
  return userId === null ? null : provider.users.getUser(userId);
}

/**
 * Spends the token (deleted by the adapter, so a second use fails, also under a race) and tells
 * whether it was valid: issued for this purpose, user and binding, and not expired.
 */
export async function spendLink(provider: PasswordProvider, input: { purpose: LinkPurpose; user: AdapterUser; token: string; binding: string }): Promise<boolean> {
  const identifier = identifierFor(input.purpose, input.user.id, input.binding);
  // Every secret verifies (rotation); useVerificationToken deletes only a matching row, so misses are harmless.
  for (const secret of provider.secrets) {
    const stored = await provider.tokens.useVerificationToken({ identifier, token: hashToken(input.token, secret) });
    if (stored) return stored.identifier === identifier && new Date(stored.expires).valueOf() > Date.now();
  }
  return false;
}
