// POST `two-factor/backup-codes`: (`code` or `backupCode`) ten new backup codes, the old ones void; needs a recent sign-in (CSRF-checked, signed in). A form post gets the security page with the new codes.
import { regenerateBackupCodes } from '../flows/two-factor-enrol.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const twoFactorBackupCodes: Route = (ctx) => onSecurityPage(ctx, regenerateBackupCodes);
