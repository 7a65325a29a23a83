// GET `verify-request`: the "check your email" page (with the code form for an Email provider with `code: true`), or a redirect to `pages.verifyRequest`.
import { pageText } from '../flows/locale.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderVerifyRequestPage, type CodeForm } from '../pages/verify-request.js';
import type { Route, RouteContext } from '../context.js';

export const verifyRequestPage: Route = async (ctx) => {
  if (ctx.config.pages.verifyRequest) return { redirect: ctx.config.pages.verifyRequest };
  return { html: renderVerifyRequestPage({ origin: ctx.url.origin, theme: ctx.config.theme, text: pageText(ctx), type: ctx.query.type, code: await codeForm(ctx) }) };
};

/** The code form when `?provider=` names an Email provider that mails codes. */
async function codeForm(ctx: RouteContext): Promise<CodeForm | undefined> {
  const id = ctx.query.provider;
  const provider = id === undefined ? undefined : ctx.config.providerById.get(id);
  if (provider?.type !== 'email' || !provider.codes) return undefined;
  return {
    action: `${ctx.url.base}/callback/${encodeURIComponent(provider.id)}`,
    csrfToken: csrf(ctx).token,
    callbackUrl: await callbackUrl(ctx),
    email: ctx.query.email === undefined || ctx.query.email === '' ? undefined : ctx.query.email,
    error: ctx.query.error,
    signinUrl: `${ctx.url.base}/signin`,
  };
}
