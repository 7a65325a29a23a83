// POST `reauthenticate`: a signed-in user re-proves a factor (password, TOTP or backup code) so step-up checks see a fresh sign-in (CSRF-checked, signed in).
import { reauthenticate } from '../flows/reauthenticate.js';
import type { Route } from '../context.js';

export const reauthenticateRoute: Route = (ctx) => reauthenticate(ctx);
