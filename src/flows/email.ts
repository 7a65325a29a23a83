// The magic-link flow: POST `signin/email` stores a hashed single-use token and mails the link; GET|POST `callback/email` spends it.
import type { ResolvedProvider } from '../config.js';
import { randomToken, sha256Hex } from '../core/crypto.js';
import { normalizeEmail } from '../core/email-address.js';
import { EmailSignInError, MissingCSRF, Verification } from '../errors.js';
import { renderEmailConfirmPage } from '../pages/email-confirm.js';
import type { RouteContext, RouteResult } from '../routes/types.js';
import type { EmailConfig, User } from '../types.js';
import { countEmailSend } from './rate-limit.js';
import { callbackUrl, csrf } from './request-state.js';
import { completeSignIn, runSignInCallback } from './sign-in.js';

/** v4 stores sha256(token + secret): a leaked table yields no usable link, and v4 tokens stay valid. */
function hashToken(token: string, secret: string): string {
  return sha256Hex(`${token}${secret}`);
}

function secretsFor(ctx: RouteContext, provider: EmailConfig): readonly string[] {
  return provider.secret ? [provider.secret] : ctx.config.secrets;
}

function identify(provider: EmailConfig, raw: unknown): string | null {
  if (!provider.normalizeIdentifier) return normalizeEmail(raw);
  if (typeof raw !== 'string') return null;
  try {
    // A custom normalizer still has to yield one plain address.
    return normalizeEmail(provider.normalizeIdentifier(raw));
  } catch {
    return null;
  }
}

export async function emailSignIn(ctx: RouteContext, provider: ResolvedProvider): Promise<RouteResult> {
  const config = provider.config as EmailConfig;
  const adapter = ctx.config.adapter!;
  const email = identify(config, ctx.body.email);
  if (!email) throw new EmailSignInError(new Error('not exactly one valid email address'));

  const user = (await adapter.getUserByEmail!(email)) ?? { id: email, email, emailVerified: null };
  const redirectTo = await runSignInCallback(ctx, {
    user,
    account: { providerAccountId: email, userId: email, type: 'email', provider: provider.id },
    email: { verificationRequest: true },
  });
  if (redirectTo !== undefined) return { redirect: redirectTo };
  await countEmailSend(ctx, email);

  const token = (await config.generateVerificationToken?.()) ?? randomToken(32);
  const expires = new Date(Date.now() + (config.maxAge ?? 86400) * 1000);
  const params = new URLSearchParams({ callbackUrl: await callbackUrl(ctx), token, email });
  // Built from the configured base URL, never from the Host header (advisory 16).
  const url = `${ctx.url.base}/callback/${encodeURIComponent(provider.id)}?${params}`;
  const hashed = hashToken(token, secretsFor(ctx, config)[0]!);
  try {
    await adapter.createVerificationToken!({ identifier: email, token: hashed, expires });
  } catch (error) {
    throw new EmailSignInError(error);
  }
  try {
    await config.sendVerificationRequest({ identifier: email, token, expires, url, provider: config, theme: ctx.config.theme, request: ctx.request });
  } catch (error) {
    // The mail never left: spend the token so nothing usable stays behind.
    await Promise.resolve(adapter.useVerificationToken!({ identifier: email, token: hashed })).catch(() => undefined);
    throw new EmailSignInError(error);
  }
  return { redirect: `${ctx.url.base}/verify-request?provider=${encodeURIComponent(provider.id)}&type=email` };
}

export async function emailCallback(ctx: RouteContext, provider: ResolvedProvider): Promise<RouteResult> {
  const config = provider.config as EmailConfig;
  const adapter = ctx.config.adapter!;
  const source = ctx.method === 'POST' ? { ...ctx.query, ...ctx.body } : ctx.query;
  const token = typeof source.token === 'string' ? source.token : '';
  const email = normalizeEmail(source.email);
  if (!token || token.length > 512 || !email) throw new Verification(new Error('link without token or email'));

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
      }),
    };
  }
  if (config.confirm === true && !csrf(ctx).verified) throw new MissingCSRF();

  // Try each secret (rotation); useVerificationToken deletes only a matching row, so misses are harmless.
  let stored = null;
  for (const secret of secretsFor(ctx, config)) {
    stored = await adapter.useVerificationToken!({ identifier: email, token: hashToken(token, secret) });
    if (stored) break;
  }
  if (!stored || new Date(stored.expires).valueOf() < Date.now() || stored.identifier !== email) {
    throw new Verification(new Error('token unknown, used, expired or for another address'));
  }
  const user: User = (await adapter.getUserByEmail!(email)) ?? { id: email, email, emailVerified: null };
  return completeSignIn(ctx, {
    provider,
    user,
    account: { providerAccountId: email, type: 'email', provider: provider.id },
  });
}
