// Passkeys (issue 18 item 4): the WebAuthn options (GET `webauthn-options/<id>`) and their answers (POST `callback/<id>`), verified by @simplewebauthn/server, signing in through completeSignIn.
import type { PasskeyProvider } from '../config.js';
import type { AuthenticatorRecord } from '../adapters/types.js';
import type { AuthMethod } from '../core/amr.js';
import { base64urlDecode, base64urlEncode, sha256Hex } from '../core/crypto.js';
import type { RouteContext, RouteResult } from '../context.js';
import { MissingCSRFError, PasskeySigninError } from '../errors.js';
import { challengeOf, clearNonce, spendChallenge, storeChallenge } from './passkey-challenge.js';
import { csrf } from './request-state.js';
import { signedInCaller } from './session-admin.js';
import { completeSignIn } from './sign-in.js';
import { passkeySignUp, signUpOptions } from './passkey-signup.js';
import { readPending, spendPending } from './two-factor.js';

type Server = typeof import('@simplewebauthn/server');

/** The optional peer, loaded only by apps that configure passkeys. */
async function webauthn(): Promise<Server> {
  try {
    return await import('@simplewebauthn/server');
  } catch (error) {
    throw new TypeError('gatehouse: the passkey provider needs `@simplewebauthn/server` 14. Install it: npm install @simplewebauthn/server', { cause: error });
  }
}

/**
 * The relying party (WebAuthn §5.1.2, §13.4.9): the RP ID and the origin come from the base URL,
 * which is the configured `url` or a request host that trustHost/allowedHosts accepted — never an
 * unchecked Host header.
 */
export function relyingParty(ctx: RouteContext, provider: PasskeyProvider): { rpID: string; origin: string; rpName: string } {
  const host = new URL(ctx.url.origin).hostname;
  return { rpID: provider.rpID ?? host, origin: ctx.url.origin, rpName: provider.rpName ?? host };
}

/** What the management routes and a registration answer show of a passkey: never its public key. */
export function publicView(record: AuthenticatorRecord): Record<string, unknown> {
  return {
    id: record.credentialID,
    name: record.name,
    createdAt: record.createdAt.toISOString(),
    lastUsedAt: record.lastUsedAt === null ? null : record.lastUsedAt.toISOString(),
    deviceType: record.deviceType,
    backedUp: record.backedUp,
    transports: record.transports,
  };
}

/** The session a registration (or re-authentication) challenge is bound to: its index id (both strategies have one). */
export const bindingOf = (me: { userId: string; sessionId: string | undefined }) => `${me.userId}:${me.sessionId ?? ''}`;

/** The WebAuthn user handle (§5.4.3, at most 64 bytes, no personal data): a hash of the user id. */
function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  const hex = sha256Hex(`gatehouse-user-handle:${userId}`);
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Creation options (§5.4) for a discoverable, user-verified credential of `userName`, attestation none. */
export async function creationOptions(
  ctx: RouteContext,
  provider: PasskeyProvider,
  user: { userName: string; userID: Uint8Array<ArrayBuffer>; exclude: Array<{ id: string; transports: string[] }> },
): Promise<Awaited<ReturnType<Server['generateRegistrationOptions']>>> {
  const { generateRegistrationOptions } = await webauthn();
  const rp = relyingParty(ctx, provider);
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.userName,
    userID: user.userID,
    timeout: provider.timeout,
    attestationType: 'none',
    excludeCredentials: user.exclude.map((entry) => ({ id: entry.id, transports: entry.transports as never })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: provider.userVerification },
  });
}

/**
 * Adding or removing a passkey needs a sign-in (or re-authentication) this recent: with a stolen
 * session cookie alone, an attacker could otherwise register a passkey of their own and keep
 * signing in after the session is revoked and the password changed, or remove the user's way back in.
 */
export const PASSKEY_RECENT_MS = 10 * 60 * 1000;

export function passkeyRecentEnough(me: { signedInAt: Date | null }): boolean {
  return me.signedInAt !== null && Date.now() - me.signedInAt.valueOf() <= PASSKEY_RECENT_MS;
}

export const RECENT_SIGN_IN_REQUIRED: RouteResult = Object.freeze({ status: 403, json: { error: 'RecentSignInRequired', message: 'Sign in again (or re-authenticate) to change your passkeys.' } });

/**
 * GET `webauthn-options/<id>?action=authenticate|register` → `{ action, options }` (Auth.js v5's
 * shape). Authenticate: request options for a discoverable credential (empty allowCredentials, so
 * conditional UI can offer any passkey of this site); signed in, for the user's own passkeys only,
 * and the challenge is bound to the session too (POST `reauthenticate` spends it). Register (signed
 * in, recently): creation options that exclude the user's passkeys and require a resident key.
 */
export async function passkeyOptions(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  const action = ctx.query.action;
  const { generateAuthenticationOptions } = await webauthn();
  const rp = relyingParty(ctx, provider);
  if (action === 'authenticate') {
    const me = await signedInCaller(ctx);
    const mine = me ? await provider.authenticators.listAuthenticators(me.userId) : [];
    const allowCredentials = mine.map((record) => ({ id: record.credentialID, transports: record.transports as never }));
    const options = await generateAuthenticationOptions({ rpID: rp.rpID, timeout: provider.timeout, userVerification: provider.userVerification, allowCredentials });
    const cookies = await storeChallenge(ctx, provider, options.challenge, 'authenticate', me ? bindingOf(me) : undefined);
    return { json: { action, options }, cookies };
  }
  if (action === 'register') {
    // A mailed sign-up link's token: options for the account it will create (flows/passkey-signup.ts).
    if (ctx.query.token !== undefined) return signUpOptions(ctx, provider, ctx.query.token);
    const me = await signedInCaller(ctx);
    if (!me) return { status: 401, json: { error: 'SessionRequired' } };
    if (!passkeyRecentEnough(me)) return RECENT_SIGN_IN_REQUIRED;
    const existing = await provider.authenticators.listAuthenticators(me.userId);
    const options = await creationOptions(ctx, provider, {
      userName: me.email ?? me.userId,
      userID: userHandle(me.userId),
      exclude: existing.map((record) => ({ id: record.credentialID, transports: record.transports })),
    });
    await storeChallenge(ctx, provider, options.challenge, 'register', bindingOf(me));
    return { json: { action, options } };
  }
  return { status: 400, json: { error: 'InvalidAction', message: 'Use ?action=authenticate or ?action=register.' } };
}

/** The browser's response: `data` as JSON text (Auth.js v5's form field) or as an object in a JSON body. */
export function responseOf(body: Readonly<Record<string, unknown>>): Record<string, any> | null {
  let data = body.data;
  if (typeof data === 'string') {
    if (data.length > 64 * 1024) return null;
    try {
      data = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const value = data as Record<string, any>;
  if (typeof value.id !== 'string' || !value.response || typeof value.response !== 'object') return null;
  return value;
}

const NAME_MAX = 64;

/** A passkey name as a person typed it: trimmed, at most 64 characters, no control characters; null for none. */
export function passkeyName(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  if (name.length > NAME_MAX || /\p{Cc}/u.test(name)) return undefined;
  return name === '' ? null : name;
}

/** POST `callback/<id>` (CSRF; `action`, `data`): a sign-in with a passkey, a registration while signed in, or one at sign-up (with a mailed link's `token`). */
export async function passkeyCallback(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  if (ctx.method !== 'POST') return { redirect: `${ctx.url.base}/signin` };
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const action = ctx.body.action ?? 'authenticate';
  if (action === 'register') return register(ctx, provider);
  if (action !== 'authenticate') return { status: 400, json: { error: 'InvalidAction', message: 'Use action=authenticate or action=register.' } };
  return authenticate(ctx, provider);
}

async function authenticate(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  const response = responseOf(ctx.body);
  if (!response) throw new PasskeySigninError('no WebAuthn response in `data`');
  const challenge = challengeOf(response.response.clientDataJSON);
  // Spent before verification: whatever the outcome, a challenge answers once.
  if (!challenge || !(await spendChallenge(ctx, provider, challenge, 'authenticate'))) throw new PasskeySigninError('unknown, spent, expired or foreign challenge');
  const { record, userVerified } = await verifyAssertion(ctx, provider, response, challenge);
  // On the code page of a pending sign-in, only a passkey of that same user completes it.
  const twoFactor = ctx.config.twoFactor;
  const open = twoFactor ? await readPending(ctx, twoFactor) : null;
  if (open && open.pending.userId !== record.userId) throw new PasskeySigninError('the passkey belongs to another user than the pending sign-in');
  const user = await provider.users.getUser(record.userId);
  if (!user) throw new PasskeySigninError('the credential’s user no longer exists');
  const cleared = twoFactor && open ? await spendPending(ctx, twoFactor, open) : [];
  return completeSignIn(ctx, {
    provider,
    user,
    account: { provider: provider.id, providerAccountId: record.credentialID, type: 'webauthn', userId: user.id },
    amr: passkeyAmr(userVerified),
    cookies: [...clearNonce(ctx), ...cleared],
  });
}

/** RFC 8176 §2: a hardware-bound key, and with user verification (PIN, biometrics) the user verified on it: two factors. */
export const passkeyAmr = (userVerified: boolean): AuthMethod[] => (userVerified ? ['hwk', 'user'] : ['hwk']);

/**
 * Verifies an assertion for a spent `challenge` (@simplewebauthn/server) and steps the credential's
 * counter; with `owner`, a credential of anyone else is refused before either. Throws
 * PasskeySigninError with the reason (for the log) when it does not prove the credential.
 */
export async function verifyAssertion(ctx: RouteContext, provider: PasskeyProvider, response: Record<string, any>, challenge: string, owner?: string): Promise<{ record: AuthenticatorRecord; userVerified: boolean }> {
  const record = await provider.authenticators.getAuthenticator(response.id);
  if (!record) throw new PasskeySigninError('unknown credential');
  if (owner !== undefined && record.userId !== owner) throw new PasskeySigninError('the passkey belongs to another user');
  const publicKey = base64urlDecode(record.publicKey);
  if (!publicKey) throw new PasskeySigninError('stored public key is not base64url');
  const { verifyAuthenticationResponse } = await webauthn();
  const rp = relyingParty(ctx, provider);
  let verified: Awaited<ReturnType<Server['verifyAuthenticationResponse']>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: response as Parameters<Server['verifyAuthenticationResponse']>[0]['response'],
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: provider.userVerification === 'required',
      credential: { id: record.credentialID, publicKey, counter: record.counter, transports: record.transports as never },
    });
  } catch (error) {
    throw new PasskeySigninError(`verification failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!verified.verified) throw new PasskeySigninError('verification failed');
  const info = verified.authenticationInfo;
  // The counter step is atomic in the store: a replayed or cloned assertion (same counter) loses (WebAuthn §6.1.1).
  if (!(await provider.authenticators.useAuthenticator(record.credentialID, info.newCounter, new Date()))) throw new PasskeySigninError('signature counter did not grow');
  return { record, userVerified: info.userVerified };
}

async function register(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  if (ctx.body.token !== undefined) return passkeySignUp(ctx, provider);
  const me = await signedInCaller(ctx);
  if (!me) return { status: 401, json: { error: 'SessionRequired' } };
  // Checked again here: the options may have been fetched just inside the window.
  if (!passkeyRecentEnough(me)) return RECENT_SIGN_IN_REQUIRED;
  const response = responseOf(ctx.body);
  const name = passkeyName(ctx.body.name);
  if (!response || name === undefined) return { status: 400, json: { error: 'InvalidPasskey', message: 'Send the browser’s registration response as `data` and an optional `name` of at most 64 characters.' } };
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge || !(await spendChallenge(ctx, provider, challenge, 'register', bindingOf(me)))) return { status: 400, json: { error: 'InvalidChallenge', message: 'Ask for new registration options and try again.' } };
  const verified = await verifiedCredential(ctx, provider, response, challenge);
  if (!verified) return { status: 400, json: { error: 'InvalidPasskey', message: 'The passkey could not be verified.' } };
  const record: AuthenticatorRecord = { ...verified.credential, userId: me.userId, name };
  if (!(await provider.authenticators.createAuthenticator(record))) return { status: 409, json: { error: 'PasskeyExists', message: 'This passkey is already registered.' } };
  return { json: { passkey: publicView(record) } };
}

/**
 * Verifies a registration response (§7.1) against its challenge, already spent, and this relying
 * party: the new credential as it is stored, or null (the reason logged, never answered).
 */
export async function verifiedCredential(
  ctx: RouteContext,
  provider: PasskeyProvider,
  response: Record<string, any>,
  challenge: string,
): Promise<{ credential: Omit<AuthenticatorRecord, 'userId' | 'name'>; userVerified: boolean } | null> {
  const { verifyRegistrationResponse } = await webauthn();
  const rp = relyingParty(ctx, provider);
  let verified: Awaited<ReturnType<Server['verifyRegistrationResponse']>>;
  try {
    verified = await verifyRegistrationResponse({
      response: response as Parameters<Server['verifyRegistrationResponse']>[0]['response'],
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: provider.userVerification === 'required',
    });
  } catch (error) {
    ctx.config.logger.warn('PASSKEY_REGISTRATION', { message: error instanceof Error ? error.message : String(error) });
    return null;
  }
  if (!verified.verified) return null;
  const { credential, credentialDeviceType, credentialBackedUp, userVerified } = verified.registrationInfo;
  return {
    credential: {
      credentialID: credential.id,
      publicKey: base64urlEncode(credential.publicKey),
      counter: credential.counter,
      transports: [...(credential.transports ?? [])],
      backedUp: credentialBackedUp,
      deviceType: credentialDeviceType,
      createdAt: new Date(),
      lastUsedAt: null,
    },
    userVerified,
  };
}
