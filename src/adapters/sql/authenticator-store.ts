// Passkeys in SQL (table gatehouse_authenticators): WebAuthn credentials by credential ID, listed per user, each assertion's counter step one conditional UPDATE.
import type { AuthenticatorRecord, AuthenticatorStore } from '../types.js';
import type { SqlContext } from './connection.js';
import type { SqlExecutor } from './driver.js';
import type { Row } from './rows.js';

const COLUMNS = 'credential_id, user_id, public_key, counter, transports, backed_up, device_type, name, created_at, last_used_at';

/**
 * `transports` is comma-separated text, as the @auth schema keeps it (Auth.js joins the browser's
 * list with ','); the transport names (WebAuthn §5.8.4) contain no comma. None is stored as NULL.
 */
function toTransports(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

function toRecord(row: Row): AuthenticatorRecord {
  return {
    credentialID: String(row.credential_id),
    userId: String(row.user_id),
    publicKey: String(row.public_key),
    // BIGINT arrives as a string from pg; the counter is a 32-bit unsigned value (WebAuthn §6.1 signCount).
    counter: Number(row.counter),
    transports: toTransports(row.transports),
    backedUp: Number(row.backed_up) === 1,
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    name: row.name === null || row.name === undefined ? null : String(row.name),
    createdAt: new Date(Number(row.created_at)),
    lastUsedAt: row.last_used_at === null || row.last_used_at === undefined ? null : new Date(Number(row.last_used_at)),
  };
}

/**
 * Removes a user's credentials inside deleteUser's transaction, so a passkey never outlives the
 * user it signs in. A database migrate() has not yet given the table has nothing to remove: the
 * savepoint keeps PostgreSQL's transaction usable after the missing-table error (SQLite and MySQL
 * fail only the statement, and take the same savepoint syntax).
 */
export async function deleteUserAuthenticators(tx: SqlExecutor, userId: string, isMissingTable: (error: unknown) => boolean): Promise<void> {
  await tx.run('SAVEPOINT gatehouse_authenticators');
  try {
    await tx.run('DELETE FROM gatehouse_authenticators WHERE user_id = ?', [userId]);
  } catch (error) {
    if (!isMissingTable(error)) throw error;
    await tx.run('ROLLBACK TO SAVEPOINT gatehouse_authenticators');
  }
  await tx.run('RELEASE SAVEPOINT gatehouse_authenticators');
}

/** No foreign key to `users`, as for gatehouse_two_factor: @auth/pg-adapter databases have integer ids. deleteUser removes the rows. */
export function sqlAuthenticatorStore(context: SqlContext): AuthenticatorStore {
  const { db } = context;
  return {
    async createAuthenticator(record) {
      const driver = await db();
      try {
        await driver.run(`INSERT INTO gatehouse_authenticators (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          record.credentialID,
          record.userId,
          record.publicKey,
          record.counter,
          record.transports.length > 0 ? record.transports.join(',') : null,
          record.backedUp ? 1 : 0,
          record.deviceType,
          record.name,
          record.createdAt.valueOf(),
          record.lastUsedAt === null ? null : record.lastUsedAt.valueOf(),
        ]);
        return true;
      } catch (error) {
        // The primary key decides between two registrations of one credential: the second is refused, not an error.
        if (driver.dialect.classify(error) === 'unique') return false;
        throw error;
      }
    },
    async getAuthenticator(credentialID) {
      const driver = await db();
      const { rows } = await driver.run(`SELECT ${COLUMNS} FROM gatehouse_authenticators WHERE credential_id = ?`, [credentialID]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async listAuthenticators(userId) {
      const driver = await db();
      // The credential ID breaks ties between two made in the same millisecond, so the order is stable.
      const { rows } = await driver.run(`SELECT ${COLUMNS} FROM gatehouse_authenticators WHERE user_id = ? ORDER BY created_at, credential_id`, [userId]);
      return rows.map(toRecord);
    },
    async useAuthenticator(credentialID, counter, usedAt) {
      const driver = await db();
      // One statement: the row lock serialises parallel assertions, and the WHERE is evaluated again on the
      // row the first one wrote, so of two with the same counter one matches and the other matches nothing.
      // "Both 0" is written `counter = ? AND counter = 0`, so every parameter takes the column's BIGINT type
      // (PostgreSQL would read a bare `? = 0` as int4, which a counter past 2^31 overflows).
      const { affected } = await driver.run('UPDATE gatehouse_authenticators SET counter = ?, last_used_at = ? WHERE credential_id = ? AND (counter < ? OR (counter = ? AND counter = 0))', [
        counter,
        usedAt.valueOf(),
        credentialID,
        counter,
        counter,
      ]);
      return affected === 1;
    },
    async renameAuthenticator(userId, credentialID, name) {
      const driver = await db();
      const { affected } = await driver.run('UPDATE gatehouse_authenticators SET name = ? WHERE credential_id = ? AND user_id = ?', [name, credentialID, userId]);
      if (affected === 1) return true;
      // A connection without CLIENT_FOUND_ROWS (MySQL) counts changed rows, not matched ones: the same name again changes none.
      const { rows } = await driver.run('SELECT 1 AS found FROM gatehouse_authenticators WHERE credential_id = ? AND user_id = ?', [credentialID, userId]);
      return rows.length === 1;
    },
    async deleteAuthenticator(userId, credentialID) {
      const driver = await db();
      const { affected } = await driver.run('DELETE FROM gatehouse_authenticators WHERE credential_id = ? AND user_id = ?', [credentialID, userId]);
      return affected === 1;
    },
  };
}
