// The magic-link flow: POST `signin/email` stores a hashed single-use token and mails the link (with `code: true`, a 6-digit code beside it); GET|POST `callback/email` spends either.
import { mailLocale, pageText } from './locale.js';
import type { EmailProvider } from '../config.js';
import { randomToken, sha256Hex } from '../core/crypto.js';
import { normalizeEmail } from '../core/email-address.js';
import { isUnavailable } from '../adapters/errors.js';
import { EmailSigninError, MissingCSRFError, RateLimitedError, ServiceUnavailableError, VerificationError } from '../errors.js';
import { renderEmailConfirmPage } from '../pages/email-confirm.js';
import type { RouteContext, RouteResult } from '../context.js';
import type { EmailConfig, User } from '../types.js';
import { EMAIL_CODE_SECONDS, issueCode, spendCode, voidCode } from './mailed-code.js';
import { countEmailSend } from './rate-limit.js';
import { callbackUrl, csrf } from './request-state.js';
import { completeSignIn, runSignInCallback } from './sign-in.js';

/** v4 stores sha256(token + secret): a leaked table yields no usable link, and v4 tokens stay valid. */
function hashToken(token: string, secret: string): string {
  return sha256Hex(`${token}${secret}`);
}

/**
 * Line breaks and NUL are what turn an identifier into extra mail headers or SMS fields (header
 * injection, RFC 5322 §2.2); no identifier of any kind needs them. U+0085, U+2028 and U+2029 are
 * line breaks to some parsers too.
 */
const BREAKS = /[\r\n\0\u0085\u2028\u2029]/;
/** As long as the longest address the default normalizer accepts leaves room for (RFC 5321 §4.5.3.1.3). */
const MAX_IDENTIFIER = 512;

/**
 * A custom identifier (a phone number sent by SMS, an address form of the app's own) is trusted as
 * v4 trusts it, apart from line breaks and NUL. Undefined when the request carried none.
 */
function plainIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_IDENTIFIER && !BREAKS.test(value) ? value : undefined;
}

/**
 * The identifier to send to. Default: exactly one plain address (GHSA-xv97-c62v-4587, GHSA-5jpx-9hw9-2fx4, GHSA-7rqj-j65f-68wh).
 * A custom `normalizeIdentifier` decides alone, as in v4; what it throws is the logged cause.
 */
function identify(provider: EmailConfig, raw: unknown): string {
  if (!provider.normalizeIdentifier) {
    const email = normalizeEmail(raw);
    if (!email) throw new EmailSigninError(new Error('not exactly one valid email address'));
    return email;
  }
  if (typeof raw !== 'string' || raw === '') throw new EmailSigninError(new Error('no identifier in the request'));
  let normalized: unknown;
  try {
    normalized = provider.normalizeIdentifier(raw);
  } catch (error) {
    throw new EmailSigninError(error);
  }
  const identifier = plainIdentifier(normalized);
  if (identifier === undefined) throw new EmailSigninError(new Error('normalizeIdentifier returned an empty, overlong or multi-line value'));
  return identifier;
}

export async function emailSignIn(ctx: RouteContext, provider: EmailProvider): Promise<RouteResult> {
  const { config, tokens, users } = provider;
  const email = identify(config, ctx.body.email);

  const user = (await users.getUserByEmail(email)) ?? { id: email, email, emailVerified: null };
  const redirectTo = await runSignInCallback(ctx, {
    user,
    account: { providerAccountId: email, userId: email, type: 'email', provider: provider.id },
    email: { verificationRequest: true },
  });
  if (redirectTo !== undefined) return { redirect: redirectTo };
  const send = await countEmailSend(ctx, email);
  // The code first: past its own send limit nothing is stored or mailed.
  const issued = provider.codes ? await issueCode(provider.codes, provider.secrets[0], codeBinding(provider, email)) : undefined;
  if (issued && 'retryAfter' in issued) throw new RateLimitedError(issued.retryAfter);
  const code = issued?.code;

  const token = (await config.generateVerificationToken?.()) ?? randomToken(32);
  const expires = new Date(Date.now() + (config.maxAge ?? 86400) * 1000);
  const params = new URLSearchParams({ callbackUrl: await callbackUrl(ctx), token, email });
  // Built from the configured base URL, never from the Host header, which the client chooses (RFC 9110 §7.2).
  const url = `${ctx.url.base}/callback/${encodeURIComponent(provider.id)}?${params}`;
  const hashed = hashToken(token, provider.secrets[0]);
  try {
    await tokens.createVerificationToken({ identifier: email, token: hashed, expires });
  } catch (error) {
    // No link was stored, so no mail goes: the send is not counted against the address.
    if (isUnavailable(error)) {
      await send.release();
      throw new ServiceUnavailableError(error);
    }
    throw new EmailSigninError(error);
  }
  const typed = code === undefined ? {} : { code, codeExpires: new Date(Date.now() + EMAIL_CODE_SECONDS * 1000) };
  try {
    await config.sendVerificationRequest({ identifier: email, token, expires, url, provider: config, theme: ctx.config.theme, request: ctx.request, ...mailLocale(ctx), ...typed });
  } catch (error) {
    // The mail never left: spend the token (and void the code) so nothing usable stays behind.
    await Promise.resolve(tokens.useVerificationToken({ identifier: email, token: hashed })).catch(() => undefined);
    if (provider.codes) await voidCode(provider.codes, codeBinding(provider, email)).catch(() => undefined);
    throw new EmailSigninError(error);
  }
  return { redirect: verifyRequestUrl(ctx, provider, code === undefined ? undefined : email) };
}

/**
 * v4's "check your email" URL; with a code, the address too, which the page's code form posts back
 * (the magic link carries it in its query the same way).
 */
function verifyRequestUrl(ctx: RouteContext, provider: EmailProvider, email: string | undefined, error?: string): string {
  const params = new URLSearchParams({ provider: provider.id, type: 'email' });
  if (email !== undefined) params.set('email', email);
  if (error !== undefined) params.set('error', error);
  return `${ctx.url.base}/verify-request?${params}`;
}

/** A sign-in code is bound to its provider and address: a code mailed to one address signs in no other. */
const codeBinding = (provider: EmailProvider, email: string) => `email sign-in:${provider.id}:${email}`;

/**
 * POST `callback/email` with `code` (CSRF; `email`, `callbackUrl`): the mailed code signs in as the
 * link would (amr `otp`; a second factor still follows when the user has one). A wrong, used,
 * expired or void code goes back to the code page with `error=Verification` (403 `{ url }` to a
 * JSON client), so the person can try again or ask for a new code.
 */
async function emailCodeCallback(ctx: RouteContext, provider: EmailProvider, codes: NonNullable<EmailProvider['codes']>): Promise<RouteResult> {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const { config, users } = provider;
  const email = config.normalizeIdentifier ? plainIdentifier(ctx.body.email) : normalizeEmail(ctx.body.email);
  await callbackUrl(ctx);
  if (!email || !(await spendCode(codes, provider.secrets, codeBinding(provider, email), ctx.body.code))) {
    ctx.config.logger.warn('EMAIL_CODE_REFUSED', { providerId: provider.id, message: 'sign-in code wrong, used, expired, void or for another address' });
    return { status: 403, redirect: verifyRequestUrl(ctx, provider, email ?? undefined, 'Verification') };
  }
  const user: User = (await users.getUserByEmail(email)) ?? { id: email, email, emailVerified: null };
  return completeSignIn(ctx, {
    provider,
    user,
    account: { providerAccountId: email, type: 'email', provider: provider.id },
  });
}

export async function emailCallback(ctx: RouteContext, provider: EmailProvider): Promise<RouteResult> {
  const { config, tokens, users } = provider;
  // A typed code (POST only, never a GET a mail scanner could make); a link's token goes on as in v4.
  if (provider.codes && ctx.method === 'POST' && ctx.body.code !== undefined && ctx.body.token === undefined) return emailCodeCallback(ctx, provider, provider.codes);
  const source = ctx.method === 'POST' ? { ...ctx.query, ...ctx.body } : ctx.query;
  const token = typeof source.token === 'string' ? source.token : '';
  // The link carries the identifier as it was stored; a custom one is compared as it is, as v4 does.
  const email = config.normalizeIdentifier ? plainIdentifier(source.email) : normalizeEmail(source.email);
  if (!token || token.length > 512 || !email) throw new VerificationError(new Error('link without token or email'));

  // Opt-in confirm step: a GET only shows a button, so mail scanners that prefetch links cannot spend the token.
  if (config.confirm === true && ctx.method === 'GET') {
    return {
      html: renderEmailConfirmPage({
        action: `${ctx.url.base}/callback/${provider.id}`,
        csrfToken: csrf(ctx).token,
        token,
        email,
        callbackUrl: await callbackUrl(ctx),
        theme: ctx.config.theme,
        text: pageText(ctx),
      }),
    };
  }
  if (config.confirm === true && !csrf(ctx).verified) throw new MissingCSRFError();

  // Try each secret (rotation); useVerificationToken deletes only a matching row, so misses are harmless.
  let stored = null;
  for (const secret of provider.secrets) {
    stored = await tokens.useVerificationToken({ identifier: email, token: hashToken(token, secret) });
    if (stored) break;
  }
  if (!stored || new Date(stored.expires).valueOf() < Date.now() || stored.identifier !== email) {
    throw new VerificationError(new Error('token unknown, used, expired or for another address'));
  }
  const user: User = (await users.getUserByEmail(email)) ?? { id: email, email, emailVerified: null };
  return completeSignIn(ctx, {
    provider,
    user,
    account: { providerAccountId: email, type: 'email', provider: provider.id },
  });
}
