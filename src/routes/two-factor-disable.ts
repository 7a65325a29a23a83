// POST `two-factor/disable`: (`code` or `backupCode`) removes the factor; needs a recent sign-in and a fresh code (CSRF-checked, signed in). A form post is redirected back to the security page.
import { disableTwoFactor } from '../flows/two-factor-enrol.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const twoFactorDisable: Route = (ctx) => onSecurityPage(ctx, disableTwoFactor, { done: 'disabled' });
