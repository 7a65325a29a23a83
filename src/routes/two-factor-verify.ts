// POST `two-factor/verify`: (`code`) confirms the new key with a first code and answers the ten backup codes (CSRF-checked, signed in).
import { verifyTwoFactor } from '../flows/two-factor-enrol.js';
import type { Route } from '../context.js';

export const twoFactorVerify: Route = (ctx) => verifyTwoFactor(ctx);
