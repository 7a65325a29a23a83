// POST `reauthenticate`: a signed-in user re-proves a factor (password, TOTP or backup code) so step-up checks see a fresh sign-in (CSRF-checked, signed in). A form post (the security page's form) is redirected back to that page.
import { reauthenticate } from '../flows/reauthenticate.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const reauthenticateRoute: Route = (ctx) => onSecurityPage(ctx, reauthenticate, { done: 'reauthenticated' });
