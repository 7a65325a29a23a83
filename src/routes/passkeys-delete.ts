// POST `passkeys/delete` (`id`): removes one of the caller's passkeys; needs a recent sign-in (CSRF-checked, signed in).
import { deletePasskey } from '../flows/passkey-manage.js';
import type { Route } from '../context.js';

export const passkeysDelete: Route = (ctx) => deletePasskey(ctx);
