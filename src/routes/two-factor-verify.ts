// POST `two-factor/verify`: (`code`) confirms the new key with a first code and answers the ten backup codes (CSRF-checked, signed in). A form post gets the security page with the backup codes (or, after a wrong code, the same key again).
import { verifyTwoFactor } from '../flows/two-factor-enrol.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const twoFactorVerify: Route = (ctx) => onSecurityPage(ctx, verifyTwoFactor, { done: 'enabled', retryEnrolment: true });
