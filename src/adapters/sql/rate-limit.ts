// A rate-limit store in the SQL database (table gatehouse_rate_limits), so every instance of the app counts the same attempts.
import { sha256Hex } from '../../core/crypto.js';
import type { RateLimitStore } from '../../types.js';
import type { SqlContext } from './connection.js';
import type { SqlParam } from './driver.js';
import type { Row } from './rows.js';

/** Ended rate-limit windows are swept at most this often, by whichever hit comes first. */
const SWEEP_EVERY_MS = 60_000;

export function sqlRateLimitStore(context: SqlContext): RateLimitStore {
  const { db } = context;
  let lastSweep = 0;
  // Buckets are hashed: the table never holds the emails and IP addresses the keys contain.
  const bucketOf = (key: string) => sha256Hex(key);
  const read = (row: Row | undefined) => ({ count: Number(row?.hits ?? 0), resetAt: Number(row?.reset_at ?? 0) });
  return {
    async hit(key, windowSeconds) {
      const driver = await db();
      const now = Date.now();
      const resetAt = now + Math.round(windowSeconds * 1000);
      const params: SqlParam[] = [bucketOf(key), resetAt, now, now, resetAt];
      const state = driver.dialect.returning
        ? read((await driver.run(driver.dialect.rateLimitHit, params)).rows[0])
        : await driver.transaction(async (tx) => {
            await tx.run(driver.dialect.rateLimitHit, params);
            return read((await tx.run('SELECT hits, reset_at FROM gatehouse_rate_limits WHERE bucket = ?', [bucketOf(key)])).rows[0]);
          });
      if (now - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now;
        await driver.run('DELETE FROM gatehouse_rate_limits WHERE reset_at <= ?', [now]).catch(() => undefined);
      }
      return state;
    },
    async peek(key) {
      const driver = await db();
      const { rows } = await driver.run('SELECT hits, reset_at FROM gatehouse_rate_limits WHERE bucket = ? AND reset_at > ?', [bucketOf(key), Date.now()]);
      return read(rows[0]);
    },
    async refund(key) {
      const driver = await db();
      // One statement: concurrent refunds and hits on the row serialise on its lock, and an
      // ended window (reset_at passed) is left for the next hit to restart.
      await driver.run('UPDATE gatehouse_rate_limits SET hits = hits - 1 WHERE bucket = ? AND hits > 0 AND reset_at > ?', [bucketOf(key), Date.now()]);
    },
    async reset(key) {
      const driver = await db();
      await driver.run('DELETE FROM gatehouse_rate_limits WHERE bucket = ?', [bucketOf(key)]);
    },
  };
}
