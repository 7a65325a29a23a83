// Leases in SQL (table gatehouse_leases): a value per key until it expires, added only when none is live.
import type { LeaseStore } from '../types.js';
import type { SqlContext } from './connection.js';

/** Expired rows are swept at most this often, by whichever write comes first. */
const SWEEP_EVERY_MS = 60_000;

export function sqlLeaseStore(context: SqlContext): LeaseStore {
  const { db } = context;
  let lastSweep = 0;
  return {
    async add(key, value, ttlMs) {
      const driver = await db();
      const now = Date.now();
      // An expired row is deleted first; of several instances inserting at once, the primary key
      // lets exactly one in (0 rows affected for the others), on every dialect.
      await driver.run('DELETE FROM gatehouse_leases WHERE id = ? AND expires <= ?', [key, now]);
      const insert =
        driver.dialect.name === 'mysql' ? 'INSERT IGNORE INTO gatehouse_leases (id, value, expires) VALUES (?, ?, ?)' : 'INSERT INTO gatehouse_leases (id, value, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING';
      const { affected } = await driver.run(insert, [key, value, now + ttlMs]);
      if (now - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now;
        await driver.run('DELETE FROM gatehouse_leases WHERE expires <= ?', [now]).catch(() => undefined);
      }
      return affected === 1;
    },
    async set(key, value, ttlMs) {
      const driver = await db();
      const upsert =
        driver.dialect.name === 'mysql'
          ? 'INSERT INTO gatehouse_leases (id, value, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), expires = VALUES(expires)'
          : 'INSERT INTO gatehouse_leases (id, value, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value, expires = excluded.expires';
      await driver.run(upsert, [key, value, Date.now() + ttlMs]);
    },
    async extend(key, ttlMs) {
      const driver = await db();
      const now = Date.now();
      await driver.run('UPDATE gatehouse_leases SET expires = ? WHERE id = ? AND expires > ?', [now + ttlMs, key, now]);
    },
    async get(key) {
      const driver = await db();
      const { rows } = await driver.run('SELECT value FROM gatehouse_leases WHERE id = ? AND expires > ?', [key, Date.now()]);
      return rows[0] ? String(rows[0].value) : null;
    },
    async delete(key) {
      const driver = await db();
      await driver.run('DELETE FROM gatehouse_leases WHERE id = ?', [key]);
    },
  };
}
