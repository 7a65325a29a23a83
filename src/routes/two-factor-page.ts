// GET `two-factor`: the built-in code page of a pending sign-in (or `pages.twoFactor`); GET `two-factor/status` answers the caller's enrolment.
import { pageText } from '../flows/locale.js';
import { BadRequestError } from '../errors.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { twoFactorStatus } from '../flows/two-factor-enrol.js';
import { pendingByEmail } from '../flows/email-factor.js';
import { renderTwoFactorPage } from '../pages/two-factor.js';
import type { Route } from '../context.js';

export const twoFactorPage: Route = async (ctx) => {
  if (ctx.providerId === 'status') return twoFactorStatus(ctx);
  if (ctx.providerId !== undefined) throw new BadRequestError(`Error: This action with HTTP ${ctx.method} is not supported.`);
  const html = renderTwoFactorPage({
    base: ctx.url.base,
    csrfToken: csrf(ctx).token,
    callbackUrl: await callbackUrl(ctx),
    ...(ctx.query.error ? { error: ctx.query.error } : {}),
    ...(ctx.config.twoFactor?.emailCode ? { emailCode: ctx.query.sent === 'email' ? ('sent' as const) : ('offer' as const) } : {}),
    ...(ctx.config.twoFactor?.trust ? { trustDays: Math.round(ctx.config.twoFactor.trust.seconds / 86400) } : {}),
    ...((await pendingByEmail(ctx)) ? { factor: 'email' as const } : {}),
    ...passkeyOf(ctx),
    theme: ctx.config.theme,
    text: pageText(ctx),
  });
  return { html };
};

function passkeyOf(ctx: Parameters<Route>[0]): { passkeyProvider?: string } {
  const provider = ctx.config.providers.find((p) => p.type === 'webauthn');
  return provider ? { passkeyProvider: provider.id } : {};
}
