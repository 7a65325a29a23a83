// WebAuthn challenges (§13.4.3): random, single use, 5 minutes, kept hashed in the lease store and bound to who asked — the signed-in session (register, re-authenticate), a cookie of this browser (authenticate), or both the mailed sign-up link and such a cookie (signup).
import type { PasskeyProvider } from '../config.js';
import type { SetCookie } from '../core/cookies.js';
import { base64urlDecode, randomToken, sha256Hex } from '../core/crypto.js';
import type { RouteContext } from '../context.js';

/** Long enough to find the authenticator and touch it; after that a stolen challenge is worthless. */
export const CHALLENGE_SECONDS = 5 * 60;

export type ChallengePurpose = 'authenticate' | 'register' | 'signup';

interface Stored {
  purpose: ChallengePurpose;
  /** sha256 of what binds it: `session:<id>` for register, the browser nonce for authenticate, the link's hash and the nonce for signup. */
  binding: string;
  /** Authenticate asked for while signed in: sha256 of `session:<id>` too, so POST `reauthenticate` of that session can spend it. */
  session?: string;
}

/** `next-auth.passkey-challenge` (`__Secure-` on https): the nonce an authenticate challenge is bound to. */
function nonceCookie(ctx: RouteContext): { name: string; options: SetCookie['options'] } {
  const session = ctx.cookieNames.sessionToken;
  return { name: session.options.secure ? '__Secure-next-auth.passkey-challenge' : 'next-auth.passkey-challenge', options: { ...session.options, maxAge: CHALLENGE_SECONDS } };
}

const keyOf = (challenge: string) => `passkey-challenge:${sha256Hex(challenge)}`;

/** What a challenge of `purpose` is bound to, from the binding the flow gives and this browser's nonce. */
function bindingFor(purpose: ChallengePurpose, binding: string | undefined, nonce: string): string {
  if (purpose === 'register') return sha256Hex(`session:${binding}`);
  if (purpose === 'signup') return sha256Hex(`signup:${binding}:${nonce}`);
  return sha256Hex(`nonce:${nonce}`);
}

/**
 * Stores a fresh challenge for `purpose`; authenticate and signup also answer the nonce cookie they
 * are bound to, so only this browser can answer them. Authenticate with `sessionBinding` (asked for
 * while signed in) is bound to that session as well, for POST `reauthenticate`.
 */
export async function storeChallenge(ctx: RouteContext, provider: PasskeyProvider, challenge: string, purpose: ChallengePurpose, sessionBinding?: string): Promise<SetCookie[]> {
  const cookies: SetCookie[] = [];
  let nonce = '';
  if (purpose !== 'register') {
    const { name, options } = nonceCookie(ctx);
    nonce = randomToken(16);
    cookies.push({ name, value: nonce, options });
  }
  const stored: Stored = { purpose, binding: bindingFor(purpose, sessionBinding, nonce) };
  if (purpose === 'authenticate' && sessionBinding !== undefined) stored.session = sha256Hex(`session:${sessionBinding}`);
  await provider.challenges.set(keyOf(challenge), JSON.stringify(stored), CHALLENGE_SECONDS * 1000);
  return cookies;
}

/** The challenge the client data of a response signed (WebAuthn §5.8.1 `challenge`), or null. */
export function challengeOf(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null;
  const bytes = base64urlDecode(clientDataJSON);
  if (!bytes) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' && parsed.challenge !== '' ? parsed.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Spends `challenge` if it was issued for `purpose` to this caller: true once. The spend is an
 * atomic add, so two requests racing with one challenge cannot both pass; a challenge of another
 * session or browser is refused and stays usable by its owner. Authenticate with `sessionBinding`
 * (a re-authentication) needs a challenge that session asked for; without, this browser's nonce.
 */
export async function spendChallenge(ctx: RouteContext, provider: PasskeyProvider, challenge: string, purpose: ChallengePurpose, sessionBinding?: string): Promise<boolean> {
  const key = keyOf(challenge);
  const raw = await provider.challenges.get(key);
  if (raw === null) return false;
  let stored: Stored;
  try {
    stored = JSON.parse(raw) as Stored;
  } catch {
    return false;
  }
  if (stored.purpose !== purpose) return false;
  if (purpose === 'authenticate' && sessionBinding !== undefined) {
    // A re-authentication: only a challenge this session asked for.
    if (stored.session !== sha256Hex(`session:${sessionBinding}`)) return false;
  } else {
    // No nonce cookie: a random one, which matches nothing.
    const expected = bindingFor(purpose, sessionBinding, ctx.requestCookies.get(nonceCookie(ctx).name) ?? randomToken(16));
    if (stored.binding !== expected) return false;
  }
  if (!(await provider.challenges.add(`passkey-spent:${sha256Hex(challenge)}`, '1', CHALLENGE_SECONDS * 1000))) return false;
  await provider.challenges.delete(key);
  return true;
}

/** Clears the nonce cookie once its challenge is answered. */
export function clearNonce(ctx: RouteContext): SetCookie[] {
  const { name, options } = nonceCookie(ctx);
  return ctx.requestCookies.has(name) ? [{ name, value: '', options: { ...options, maxAge: 0 } }] : [];
}
