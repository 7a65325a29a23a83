// GET `verify-email` shows a confirm button; POST `verify-email` spends the link and marks the address verified.
import { pageText } from '../locale.js';
import { MissingCSRFError, VerificationError } from '../../errors.js';
import type { RouteContext, RouteResult } from '../../context.js';
import { renderVerifyEmailPage } from '../../pages/verify-email.js';
import { fire } from '../events.js';
import { csrf } from '../request-state.js';
import { emailBinding, linkUser, spendLink } from './links.js';
import { pageUrl, withQuery } from './mail.js';
import { passwordProviderOf } from './pages.js';

function tokenOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Scanner-safe: the GET renders a form and spends nothing. */
export function verifyEmailConfirm(ctx: RouteContext): RouteResult {
  const token = tokenOf(ctx.query.token);
  if (!passwordProviderOf(ctx.config) || !token) throw new VerificationError(new Error('verify-email without a token or Password provider'));
  return { html: renderVerifyEmailPage({ base: ctx.url.base, csrfToken: csrf(ctx).token, token, theme: ctx.config.theme, text: pageText(ctx) }) };
}

export async function verifyEmail(ctx: RouteContext): Promise<RouteResult> {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new VerificationError(new Error('no Password provider'));
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const token = tokenOf(ctx.body.token);
  const user = await linkUser(provider, token);
  if (!user || !(await spendLink(provider, { purpose: 'verify-email', user, token, binding: emailBinding(user) }))) {
    throw new VerificationError(new Error('verification link unknown, used, expired or for another address'));
  }
  if (!user.emailVerified) {
    const updated = await provider.users.updateUser({ id: user.id, emailVerified: new Date() });
    await fire(ctx.config, 'updateUser', { user: updated });
  }
  return { redirect: withQuery(pageUrl(ctx, ctx.config.pages.signIn, '/signin'), { notice: 'verified' }) };
}
