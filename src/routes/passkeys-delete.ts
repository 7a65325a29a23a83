// POST `passkeys/delete` (`id`): removes one of the caller's passkeys; needs a recent sign-in (CSRF-checked, signed in). A form post is redirected back to the security page.
import { deletePasskey } from '../flows/passkey-manage.js';
import { onSecurityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const passkeysDelete: Route = (ctx) => onSecurityPage(ctx, deletePasskey, { done: 'deleted' });
