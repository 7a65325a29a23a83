// POST `passkeys/rename` (`id`, `name`): renames one of the caller's passkeys (CSRF-checked, signed in). A form post is redirected back to the security page.
import { renamePasskey } from '../flows/passkey-manage.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const passkeysRename: Route = (ctx) => onSecurityPage(ctx, renamePasskey, { done: 'renamed' });
