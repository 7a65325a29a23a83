// The account-security page (GET `security`) and the page mode of the JSON routes its forms post to: a form post gets the page (or a redirect to it) instead of JSON.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { PasskeyProvider } from '../config.js';
import { qrSvg } from '../core/qr-svg.js';
import { totpUri } from '../core/totp.js';
import type { RouteContext, RouteResult } from '../context.js';
import { MissingCSRFError } from '../errors.js';
import { renderSecurityPage, type SecurityPageInput } from '../pages/security.js';
import { pageText } from './locale.js';
import { PASSKEY_RECENT_MS } from './passkey-manage.js';
import { csrf, isPageForm, returnErrorsTo } from './request-state.js';
import { signedInCaller } from './session-admin.js';

type Caller = NonNullable<Awaited<ReturnType<typeof signedInCaller>>>;

/** What a page-mode POST did, said in the page's status line (`?done=`). */
export type SecurityDone = 'enabled' | 'disabled' | 'reauthenticated' | 'renamed' | 'deleted';

/** `<base>/security` with `params` (and `lang` when the user picked the locale), absolute. */
function securityUrl(ctx: RouteContext, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params);
  const text = pageText(ctx);
  if (text.pinned) query.set('lang', text.locale);
  const search = query.toString();
  return `${ctx.url.base}/security${search ? `?${search}` : ''}`;
}

/** The sign-in page (or `pages.signIn`, which GET `signin` redirects to), coming back to the security page. */
function signInUrl(ctx: RouteContext): string {
  return `${ctx.url.base}/signin?callbackUrl=${encodeURIComponent(securityUrl(ctx))}`;
}

const passkeyProviderOf = (ctx: RouteContext) => ctx.config.providers.find((p): p is PasskeyProvider => p.type === 'webauthn');

/**
 * Whether the sign-in is recent enough for every change the page offers: the shorter of
 * `twoFactor.recentSignIn` and the passkey routes' window, so a button shown is a button that works.
 */
function isRecent(ctx: RouteContext, me: Caller): boolean {
  const windows = [ctx.config.twoFactor?.recentSignInMs, passkeyProviderOf(ctx) ? PASSKEY_RECENT_MS : undefined].filter((ms): ms is number => ms !== undefined);
  return me.signedInAt !== null && Date.now() - me.signedInAt.valueOf() <= Math.min(...windows);
}

type OneTime = Pick<SecurityPageInput, 'enrolment' | 'backupCodes' | 'error' | 'done'>;

/** The page for `me`: the factor's state and the passkeys read now, plus what only this answer shows (`shown`). */
async function render(ctx: RouteContext, me: Caller, shown: OneTime): Promise<RouteResult> {
  const twoFactor = ctx.config.twoFactor;
  const enrolment = twoFactor ? await twoFactor.store.getTwoFactor(me.userId) : null;
  const enabled = enrolment?.enabled === true;
  const provider = passkeyProviderOf(ctx);
  const passkeys = provider ? await provider.authenticators.listAuthenticators(me.userId) : undefined;
  const html = renderSecurityPage({
    base: ctx.url.base,
    csrfToken: csrf(ctx).token,
    ...shown,
    recent: isRecent(ctx, me),
    reauthenticate: {
      password: ctx.config.providers.some((p) => p.type === 'password' || p.type === 'credentials'),
      code: enabled,
      // Offered only with a passkey to use: the options would list none, and the dialog could only fail.
      passkey: provider && passkeys && passkeys.length > 0 ? provider.id : undefined,
    },
    twoFactor: twoFactor ? { enabled, backupCodesLeft: enabled ? await twoFactor.store.countBackupCodes(me.userId) : 0 } : undefined,
    passkeys: provider && passkeys ? { provider: provider.id, list: passkeys.map((key) => ({ id: key.credentialID, name: key.name, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt })) } : undefined,
    theme: ctx.config.theme,
    text: pageText(ctx),
  });
  return { html };
}

/**
 * GET `security`: the page for the signed-in user; signed out, the sign-in page with the way back
 * here. With `pages.security`, a redirect there with the `error` or `done` of the last form post
 * (the app's page checks the session itself, as with `pages.signIn`).
 */
export async function securityPage(ctx: RouteContext): Promise<RouteResult> {
  const custom = ctx.config.pages.security;
  if (custom) {
    const params = new URLSearchParams();
    for (const key of ['error', 'done'] as const) if (ctx.query[key]) params.set(key, ctx.query[key]);
    const search = params.toString();
    return { redirect: search ? `${custom}${custom.includes('?') ? '&' : '?'}${search}` : custom };
  }
  const me = await signedInCaller(ctx);
  if (!me) return { redirect: signInUrl(ctx) };
  return render(ctx, me, { error: ctx.query.error, done: ctx.query.done });
}

/**
 * The enrolment started but not confirmed, shown again after a wrong first code so the key already
 * added to the app stays the one to confirm. Only within the recent-sign-in window, where the
 * caller could start over with `two-factor/enable` anyway: a stolen session alone never reads a key.
 */
async function pendingEnrolment(ctx: RouteContext, me: Caller): Promise<SecurityPageInput['enrolment']> {
  const twoFactor = ctx.config.twoFactor;
  if (!twoFactor || me.signedInAt === null || Date.now() - me.signedInAt.valueOf() > twoFactor.recentSignInMs) return undefined;
  const enrolment = await twoFactor.store.getTwoFactor(me.userId);
  if (!enrolment || enrolment.enabled) return undefined;
  const opened = await twoFactor.box.open(enrolment.secret);
  if (!opened) return undefined;
  return { secret: opened.plaintext, qrSvg: qrSvg(totpUri(twoFactor.issuer, me.email ?? me.userId, decodeBase32IgnorePadding(opened.plaintext))) };
}

/** An error code a route answered (`{ error: 'InvalidTwoFactorCode' }`); undefined for a sentence (the 404s of unconfigured features). */
function codeOf(result: RouteResult): string | undefined {
  const error = (result.json as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && /^[A-Z][A-Za-z]{0,63}$/.test(error) ? error : undefined;
}

/**
 * Page mode of a JSON route (`two-factor/*`, `passkeys/*`, `reauthenticate`): a plain form post
 * (request-state.ts `isPageForm`) is answered with the security page instead of JSON, every other
 * caller with exactly what `run` answers. Success: the page with what only this answer may show
 * (a new key and its QR code, backup codes: never in a URL, never logged), or a redirect to
 * `security?done=`; a refusal: a redirect to `security?error=<code>`; signed out: the sign-in page.
 */
export async function onSecurityPage(ctx: RouteContext, run: (ctx: RouteContext) => Promise<RouteResult>, options: { done?: SecurityDone; retryEnrolment?: boolean } = {}): Promise<RouteResult> {
  if (!isPageForm(ctx)) return run(ctx);
  // Limits thrown as errors (RateLimited) are redirected by the handler to the error URL: this page, with the code.
  returnErrorsTo(ctx, securityUrl(ctx));
  let result: RouteResult;
  try {
    result = await run(ctx);
  } catch (error) {
    // The JSON routes answer a refused token with 403 `{}`; a form gets its page back with the reason, and nothing was done.
    if (error instanceof MissingCSRFError) return { redirect: securityUrl(ctx, { error: 'MissingCSRF' }) };
    throw error;
  }
  const status = result.status ?? 200;
  if (status === 401) return { redirect: signInUrl(ctx) };
  if (status >= 400) {
    const code = codeOf(result);
    if (code === undefined) return result;
    if (options.retryEnrolment && code === 'InvalidTwoFactorCode') {
      const me = await signedInCaller(ctx);
      const enrolment = me ? await pendingEnrolment(ctx, me) : undefined;
      if (me && enrolment) return { ...(await render(ctx, me, { enrolment, error: code })), status };
    }
    return { redirect: securityUrl(ctx, { error: code }), ...(result.cookies ? { cookies: result.cookies } : {}) };
  }
  const json = (result.json ?? {}) as { secret?: unknown; qrSvg?: unknown; backupCodes?: unknown };
  const shown: OneTime = {};
  if (typeof json.secret === 'string' && typeof json.qrSvg === 'string') shown.enrolment = { secret: json.secret, qrSvg: json.qrSvg };
  if (Array.isArray(json.backupCodes)) shown.backupCodes = json.backupCodes.filter((code): code is string => typeof code === 'string');
  if (shown.enrolment || shown.backupCodes) {
    const me = await signedInCaller(ctx);
    if (!me) return { redirect: signInUrl(ctx) };
    if (options.done) shown.done = options.done;
    return { ...(await render(ctx, me, shown)), ...(result.cookies ? { cookies: result.cookies } : {}) };
  }
  return { redirect: securityUrl(ctx, options.done ? { done: options.done } : {}), ...(result.cookies ? { cookies: result.cookies } : {}) };
}
