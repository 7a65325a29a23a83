// GET `verify-request`: the "check your email" page, or a redirect to `pages.verifyRequest`.
import { pageText } from '../flows/locale.js';
import { renderVerifyRequestPage } from '../pages/verify-request.js';
import type { Route } from '../context.js';

export const verifyRequestPage: Route = (ctx) => {
  if (ctx.config.pages.verifyRequest) return { redirect: ctx.config.pages.verifyRequest };
  return { html: renderVerifyRequestPage({ origin: ctx.url.origin, theme: ctx.config.theme, text: pageText(ctx), type: ctx.query.type }) };
};
