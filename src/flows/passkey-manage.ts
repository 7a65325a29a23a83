// The signed-in user's passkeys: list, rename, delete (issue 18 item 4). POSTs are CSRF-checked, deleting needs a recent sign-in.
import type { PasskeyProvider } from '../config.js';
import type { RouteContext, RouteResult } from '../context.js';
import { csrf } from './request-state.js';
import { passkeyName, passkeyRecentEnough, publicView, RECENT_SIGN_IN_REQUIRED } from './passkey.js';
import { signedInCaller } from './session-admin.js';

export { PASSKEY_RECENT_MS } from './passkey.js';

type Caller = NonNullable<Awaited<ReturnType<typeof signedInCaller>>>;

/** The configured passkey provider (the first), or the refusal: 404 without one, 403 without CSRF (POST), 401 signed out. */
async function callerOrRefusal(ctx: RouteContext): Promise<{ provider: PasskeyProvider; me: Caller } | RouteResult> {
  const provider = ctx.config.providers.find((p): p is PasskeyProvider => p.type === 'webauthn');
  if (!provider) return { status: 404, json: { error: 'Passkeys are not configured.' } };
  if (ctx.method === 'POST' && !csrf(ctx).verified) return { status: 403, json: { error: 'MissingCSRF' } };
  const me = await signedInCaller(ctx);
  if (!me) return { status: 401, json: {} };
  return { provider, me };
}

/** GET `passkeys` → `{ passkeys: [{ id, name, createdAt, lastUsedAt, deviceType, backedUp, transports }] }`, oldest first. */
export async function listPasskeys(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx);
  if (!('me' in found)) return found;
  const records = await found.provider.authenticators.listAuthenticators(found.me.userId);
  return { json: { passkeys: records.map(publicView) } };
}

/** POST `passkeys/rename` (`id`, `name`): renames one of the caller's passkeys; 404 when it is not theirs. */
export async function renamePasskey(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx);
  if (!('me' in found)) return found;
  const name = passkeyName(ctx.body.name);
  if (typeof ctx.body.id !== 'string' || name === undefined) return { status: 400, json: { error: 'InvalidPasskey', message: 'Send `id` and a `name` of at most 64 characters.' } };
  if (!(await found.provider.authenticators.renameAuthenticator(found.me.userId, ctx.body.id, name))) return { status: 404, json: { error: 'PasskeyNotFound' } };
  return { json: { id: ctx.body.id, name } };
}

/** POST `passkeys/delete` (`id`): needs a recent sign-in; 404 when the passkey is not the caller's (another user's is never touched). */
export async function deletePasskey(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx);
  if (!('me' in found)) return found;
  const { me, provider } = found;
  if (!passkeyRecentEnough(me)) return RECENT_SIGN_IN_REQUIRED;
  if (typeof ctx.body.id !== 'string') return { status: 400, json: { error: 'InvalidPasskey', message: 'Send the passkey’s `id`.' } };
  if (!(await provider.authenticators.deleteAuthenticator(me.userId, ctx.body.id))) return { status: 404, json: { error: 'PasskeyNotFound' } };
  return { json: { deleted: ctx.body.id } };
}
