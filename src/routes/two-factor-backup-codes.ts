// POST `two-factor/backup-codes`: (`code` or `backupCode`) ten new backup codes, the old ones void; needs a recent sign-in (CSRF-checked, signed in).
import { regenerateBackupCodes } from '../flows/two-factor-enrol.js';
import type { Route } from '../context.js';

export const twoFactorBackupCodes: Route = (ctx) => regenerateBackupCodes(ctx);
