// Passkeys in process memory: the memory adapter's `authenticatorStore()` (one process only, gone on restart).
import type { AuthenticatorRecord, AuthenticatorStore } from './types.js';

/** The memory store, plus the cleanup the memory adapter's `deleteUser` runs. */
export interface MemoryAuthenticatorStore extends AuthenticatorStore {
  deleteUserAuthenticators(userId: string): void;
}

function copy(record: AuthenticatorRecord): AuthenticatorRecord {
  return {
    ...record,
    transports: [...record.transports],
    createdAt: new Date(record.createdAt),
    lastUsedAt: record.lastUsedAt === null ? null : new Date(record.lastUsedAt),
  };
}

export function memoryAuthenticatorStore(): MemoryAuthenticatorStore {
  const byId = new Map<string, AuthenticatorRecord>();
  const owned = (userId: string, credentialID: string) => {
    const found = byId.get(credentialID);
    return found && found.userId === userId ? found : undefined;
  };
  return {
    async createAuthenticator(record) {
      if (byId.has(record.credentialID)) return false;
      byId.set(record.credentialID, copy(record));
      return true;
    },
    async getAuthenticator(credentialID) {
      const found = byId.get(credentialID);
      return found ? copy(found) : null;
    },
    async listAuthenticators(userId) {
      // By createdAt, as the SQL and Redis stores order them; the sort is stable, so ties keep creation order.
      const own = [...byId.values()].filter((record) => record.userId === userId);
      return own.sort((a, b) => a.createdAt.valueOf() - b.createdAt.valueOf()).map(copy);
    },
    // Synchronous between the read and the write: no await, so parallel assertions cannot interleave.
    async useAuthenticator(credentialID, counter, usedAt) {
      const found = byId.get(credentialID);
      if (!found || !(counter > found.counter || (counter === 0 && found.counter === 0))) return false;
      found.counter = counter;
      found.lastUsedAt = new Date(usedAt);
      return true;
    },
    async renameAuthenticator(userId, credentialID, name) {
      const found = owned(userId, credentialID);
      if (!found) return false;
      found.name = name;
      return true;
    },
    async deleteAuthenticator(userId, credentialID) {
      return owned(userId, credentialID) !== undefined && byId.delete(credentialID);
    },
    deleteUserAuthenticators(userId) {
      for (const [id, record] of byId) if (record.userId === userId) byId.delete(id);
    },
  };
}
