// The session index on in-process Maps: the memory adapter's `sessionStore()` (one process only, gone on restart).
import type { Revocation, SessionRecord, SessionStore } from './types.js';

function copy(record: SessionRecord): SessionRecord {
  return {
    ...record,
    createdAt: new Date(record.createdAt),
    lastActiveAt: new Date(record.lastActiveAt),
    expires: new Date(record.expires),
  };
}

/** `now` is injectable so tests can move time; state lives in the returned object. */
export function memorySessionStore(now: () => number = Date.now): SessionStore {
  const records = new Map<string, SessionRecord>();
  const revoked = new Map<string, Revocation>();
  // Revocations get strictly increasing times, so a poll never misses one written in the same millisecond.
  let lastRevokedAt = 0;

  const sweep = (at: number) => {
    for (const [id, record] of records) if (record.expires.valueOf() <= at) records.delete(id);
    for (const [id, entry] of revoked) if (entry.expires <= at) revoked.delete(id);
  };

  return {
    async saveSession(record) {
      sweep(now());
      records.set(record.id, copy(record));
    },
    async touchSession(id, lastActiveAt, expires) {
      const record = records.get(id);
      if (!record) return;
      record.lastActiveAt = new Date(lastActiveAt);
      record.expires = new Date(expires);
    },
    async listUserSessions(userId) {
      const at = now();
      return [...records.values()]
        .filter((record) => record.userId === userId && record.expires.valueOf() > at)
        .sort((a, b) => b.lastActiveAt.valueOf() - a.lastActiveAt.valueOf())
        .map(copy);
    },
    async revokeSessions(ids, until) {
      for (const id of ids) {
        records.delete(id);
        if (until) {
          lastRevokedAt = Math.max(lastRevokedAt + 1, now());
          revoked.set(id, { id, revokedAt: lastRevokedAt, expires: until.valueOf() });
        }
      }
    },
    async revocationsSince(since) {
      const at = now();
      return [...revoked.values()].filter((entry) => entry.revokedAt >= since && entry.expires > at).sort((a, b) => a.revokedAt - b.revokedAt);
    },
  };
}
