// POST `two-factor/enable`: a new TOTP key (not active yet) as { secret, otpauthUrl, qrSvg }; needs a recent sign-in (CSRF-checked, signed in). A form post (the security page) gets the page with the key and its QR code.
import { enableTwoFactor } from '../flows/two-factor-enrol.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const twoFactorEnable: Route = (ctx) => onSecurityPage(ctx, enableTwoFactor);
