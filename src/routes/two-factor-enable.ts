// POST `two-factor/enable`: a new TOTP key (not active yet) as { secret, otpauthUrl, qrSvg }; needs a recent sign-in (CSRF-checked, signed in).
import { enableTwoFactor } from '../flows/two-factor-enrol.js';
import type { Route } from '../context.js';

export const twoFactorEnable: Route = (ctx) => enableTwoFactor(ctx);
