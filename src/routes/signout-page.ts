// GET `signout`: the built-in confirmation page, or a redirect to `pages.signOut`.
import { pageText } from '../flows/locale.js';
import { signOutTargets } from '../flows/form-targets.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderSignoutPage } from '../pages/signout.js';
import type { Route } from '../context.js';

export const signoutPage: Route = async (ctx) => {
  if (ctx.config.pages.signOut) return { redirect: ctx.config.pages.signOut };
  const html = renderSignoutPage({ base: ctx.url.base, csrfToken: csrf(ctx).token, callbackUrl: await callbackUrl(ctx), theme: ctx.config.theme, text: pageText(ctx) });
  return { html, formTargets: await signOutTargets(ctx) };
};
