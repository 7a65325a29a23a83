// GET `signup`: the built-in sign-up page, or a redirect to `pages.signUp`; 404 without a Password provider that allows sign-up. GET `signup/<passkey id>?token=…`: the page a passkey sign-up link opens.
import { pageText } from '../flows/locale.js';
import { BadRequestError, VerificationError } from '../errors.js';
import { readSignUpLink, signUpHost } from '../flows/passkey-signup.js';
import { pageUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderPasskeySignUpPage, renderSignUpPage } from '../pages/signup.js';
import type { PasskeyProvider } from '../config.js';
import type { Route, RouteContext, RouteResult } from '../context.js';

/** The link's page, or `pages.signUp` with `provider` and `token` for an app that builds its own (signUpWithPasskey). */
async function passkeyLinkPage(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  const token = ctx.query.token ?? '';
  const custom = ctx.config.pages.signUp;
  if (custom) {
    const params = new URLSearchParams({ provider: provider.id, token });
    if (ctx.query.error) params.set('error', ctx.query.error);
    return { redirect: `${custom}${custom.includes('?') ? '&' : '?'}${params}` };
  }
  const link = await readSignUpLink(provider, token);
  if (!link) throw new VerificationError(new Error('passkey sign-up link unknown, used or expired'));
  return {
    html: renderPasskeySignUpPage({
      base: ctx.url.base,
      providerId: provider.id,
      csrfToken: csrf(ctx).token,
      token,
      email: link.email,
      callbackUrl: link.callbackUrl,
      error: ctx.query.error,
      code: ctx.query.code,
      theme: ctx.config.theme,
      text: pageText(ctx),
    }),
  };
}

export const signupPage: Route = async (ctx) => {
  const named = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  if (named?.type === 'webauthn' && signUpHost(ctx.config)) return passkeyLinkPage(ctx, named);
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
  const passkey = ctx.config.providers.find((candidate) => candidate.type === 'webauthn');
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
      passkeyProvider: passkey?.id,
    }),
  };
};
