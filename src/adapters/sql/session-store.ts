// The session index in SQL (tables gatehouse_sessions and gatehouse_revoked_sessions): devices per user, and revoked JWT ids that instances poll.
import type { Revocation, SessionRecord, SessionStore } from '../types.js';
import type { SqlDriver, SqlParam } from './driver.js';

/** Expired records and revocations are swept at most this often, by whichever write comes first. */
const SWEEP_EVERY_MS = 60_000;

type Row = Record<string, unknown>;

function toRecord(row: Row): SessionRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    createdAt: new Date(Number(row.created_at)),
    lastActiveAt: new Date(Number(row.last_active_at)),
    expires: new Date(Number(row.expires)),
    userAgent: row.user_agent === null || row.user_agent === undefined ? null : String(row.user_agent),
    ipAddress: row.ip_address === null || row.ip_address === undefined ? null : String(row.ip_address),
  };
}

/** The tail of an INSERT that overwrites `columns` when the id exists: MySQL's syntax or the SQL-standard-ish one of PostgreSQL and SQLite. */
function upsert(driver: SqlDriver, columns: readonly string[]): string {
  if (driver.dialect.name === 'mysql') return `ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
  return `ON CONFLICT (id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

function inList(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * Times are BIGINT milliseconds, as in gatehouse_rate_limits: one type on every dialect. A
 * revocation's time comes from the database clock (`dialect.nowMs`), so instances whose clocks
 * disagree still agree on the order of the log they poll.
 */
export function createSqlSessionStore(db: () => Promise<SqlDriver>): SessionStore {
  let lastSweep = 0;

  async function sweep(driver: SqlDriver): Promise<void> {
    const now = Date.now();
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    await driver.run('DELETE FROM gatehouse_sessions WHERE expires <= ?', [now]).catch(() => undefined);
    await driver.run('DELETE FROM gatehouse_revoked_sessions WHERE expires <= ?', [now]).catch(() => undefined);
  }

  return {
    async saveSession(record) {
      const driver = await db();
      const values: SqlParam[] = [record.id, record.userId, record.createdAt.valueOf(), record.lastActiveAt.valueOf(), record.expires.valueOf(), record.userAgent, record.ipAddress];
      // An upsert, not DELETE + INSERT: InnoDB's gap locks make that pair deadlock under parallel sign-ins.
      await driver.run(
        'INSERT INTO gatehouse_sessions (id, user_id, created_at, last_active_at, expires, user_agent, ip_address) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          upsert(driver, ['user_id', 'created_at', 'last_active_at', 'expires', 'user_agent', 'ip_address']),
        values,
      );
      await sweep(driver);
    },

    async touchSession(id, lastActiveAt, expires) {
      const driver = await db();
      await driver.run('UPDATE gatehouse_sessions SET last_active_at = ?, expires = ? WHERE id = ?', [lastActiveAt.valueOf(), expires.valueOf(), id]);
    },

    async listUserSessions(userId) {
      const driver = await db();
      const { rows } = await driver.run('SELECT id, user_id, created_at, last_active_at, expires, user_agent, ip_address FROM gatehouse_sessions ' + 'WHERE user_id = ? AND expires > ? ORDER BY last_active_at DESC', [
        userId,
        Date.now(),
      ]);
      return rows.map(toRecord);
    },

    async revokeSessions(ids, until) {
      if (ids.length === 0) return;
      const driver = await db();
      // The log first, then the records: a crash in between leaves a listed session that is already
      // revoked (revoking it again is harmless), never an unlisted one that still works.
      if (until) {
        for (const id of ids) {
          await driver.run(`INSERT INTO gatehouse_revoked_sessions (id, revoked_at, expires) VALUES (?, ${driver.dialect.nowMs}, ?) ${upsert(driver, ['revoked_at', 'expires'])}`, [id, until.valueOf()]);
        }
      }
      await driver.run(`DELETE FROM gatehouse_sessions WHERE id IN (${inList(ids)})`, [...ids]);
    },

    async revocationsSince(since) {
      const driver = await db();
      const { rows } = await driver.run('SELECT id, revoked_at, expires FROM gatehouse_revoked_sessions WHERE revoked_at >= ? AND expires > ? ORDER BY revoked_at', [since, Date.now()]);
      return rows.map((row): Revocation => ({ id: String(row.id), revokedAt: Number(row.revoked_at), expires: Number(row.expires) }));
    },
  };
}
