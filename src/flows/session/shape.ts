// What both session strategies share: v4's default session user, and the session index record a sign-in writes.
import type { ResolvedConfig } from '../../config.js';
import type { Device } from '../../context.js';
import type { Session } from '../../types.js';

/** v4's default session user: from the token's `picture` (JWT) or the stored user's `image` (database). */
export function defaultSessionUser(source: { name?: unknown; email?: unknown; image?: unknown; picture?: unknown }, imageKey: 'picture' | 'image') {
  return { name: source.name, email: source.email, image: source[imageKey] } as Session['user'];
}

/** Records a new session in the index (when there is one), with the signing-in device. */
export async function saveRecord(config: ResolvedConfig, id: string, userId: string, expires: Date, device: Device | undefined): Promise<void> {
  const store = config.sessionIndex.store;
  if (!store) return;
  const now = new Date();
  await store.saveSession({ id, userId, createdAt: now, lastActiveAt: now, expires, userAgent: device?.userAgent ?? null, ipAddress: device?.ipAddress ?? null });
}
