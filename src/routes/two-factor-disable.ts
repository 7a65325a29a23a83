// POST `two-factor/disable`: (`code` or `backupCode`) removes the factor; needs a recent sign-in and a fresh code (CSRF-checked, signed in).
import { disableTwoFactor } from '../flows/two-factor-enrol.js';
import type { Route } from '../context.js';

export const twoFactorDisable: Route = (ctx) => disableTwoFactor(ctx);
