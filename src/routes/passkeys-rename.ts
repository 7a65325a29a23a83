// POST `passkeys/rename` (`id`, `name`): renames one of the caller's passkeys (CSRF-checked, signed in).
import { renamePasskey } from '../flows/passkey-manage.js';
import type { Route } from '../context.js';

export const passkeysRename: Route = (ctx) => renamePasskey(ctx);
