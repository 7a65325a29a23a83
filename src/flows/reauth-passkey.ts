// Re-authentication with a passkey (POST `reauthenticate` with `passkey`): an assertion to a challenge the same session asked for, by one of the signed-in user's own passkeys, verified as callback/passkey verifies a sign-in.
import type { PasskeyProvider } from '../config.js';
import type { AuthMethod } from '../core/amr.js';
import type { RouteContext } from '../context.js';
import { PasskeySigninError } from '../errors.js';
import { bindingOf, passkeyAmr, responseOf, verifyAssertion } from './passkey.js';
import { challengeOf, spendChallenge } from './passkey-challenge.js';
import type { Authenticated } from './step-up.js';

/** Whether the request re-proves a passkey: the assertion as JSON text (a form) or an object (a JSON body). */
export function wantsPasskey(body: Readonly<Record<string, unknown>>): boolean {
  return body.passkey !== undefined && body.passkey !== null && body.passkey !== '';
}

/** The Passkey provider `provider` names, else the first one configured. */
function passkeyProviderFor(ctx: RouteContext): PasskeyProvider | undefined {
  const named = ctx.body.provider;
  const provider = typeof named === 'string' ? ctx.config.providerById.get(named) : undefined;
  if (provider?.type === 'webauthn') return provider;
  return ctx.config.providers.find((p): p is PasskeyProvider => p.type === 'webauthn');
}

/**
 * The methods a passkey assertion proves for `me` (`hwk`, and `user` when the authenticator
 * verified the user), or null when it proves nothing: no Passkey provider, a challenge not asked
 * for by this session (GET `webauthn-options/<id>?action=authenticate` while signed in), spent or
 * expired, another user's passkey, a failed signature or a counter that did not grow.
 */
export async function provePasskey(ctx: RouteContext, me: Authenticated): Promise<AuthMethod[] | null> {
  const provider = passkeyProviderFor(ctx);
  const response = responseOf({ data: ctx.body.passkey });
  if (!provider || !response) return null;
  const challenge = challengeOf(response.response.clientDataJSON);
  // Spent before verification, as at sign-in: whatever the outcome, a challenge answers once.
  if (!challenge || !(await spendChallenge(ctx, provider, challenge, 'authenticate', bindingOf(me)))) {
    ctx.config.logger.warn('PASSKEY_REAUTHENTICATE', { message: 'unknown, spent, expired or foreign challenge' });
    return null;
  }
  try {
    const { userVerified } = await verifyAssertion(ctx, provider, response, challenge, me.userId);
    return passkeyAmr(userVerified);
  } catch (error) {
    if (!(error instanceof PasskeySigninError)) throw error;
    ctx.config.logger.warn('PASSKEY_REAUTHENTICATE', { message: error.cause instanceof Error ? error.cause.message : error.message });
    return null;
  }
}
