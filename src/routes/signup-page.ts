// GET `signup`: the built-in sign-up page, or a redirect to `pages.signUp`; 404 without a Password provider that allows sign-up.
import { pageText } from '../flows/locale.js';
import { BadRequestError } from '../errors.js';
import { pageUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderSignUpPage } from '../pages/signup.js';
import type { Route } from '../context.js';

export const signupPage: Route = async (ctx) => {
  const provider = passwordProviderOf(ctx.config, ctx.providerId);
  if (!provider || provider.config.allowSignUp === false) throw new BadRequestError('Error: Not found.', 404);
  const target = await callbackUrl(ctx);
  const custom = ctx.config.pages.signUp;
  if (custom) {
    const params = new URLSearchParams({ callbackUrl: target });
    if (ctx.query.error) params.set('error', ctx.query.error);
    if (ctx.query.code) params.set('code', ctx.query.code);
    return { redirect: `${custom}${custom.includes('?') ? '&' : '?'}${params}` };
  }
  return {
    html: renderSignUpPage({
      base: ctx.url.base,
      providerId: provider.id,
      csrfToken: csrf(ctx).token,
      callbackUrl: target,
      error: ctx.query.error,
      code: ctx.query.code,
      fields: provider.config.fields ?? {},
      minLength: provider.policy.minLength,
      signInUrl: pageUrl(ctx, ctx.config.pages.signIn, '/signin'),
      theme: ctx.config.theme,
      text: pageText(ctx),
    }),
  };
};
