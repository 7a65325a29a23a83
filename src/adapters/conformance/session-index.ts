// Adapter conformance, the session index gatehouse's own adapters offer (`sessionStore()`): devices per user and the JWT revocation log.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { SessionRecord, SessionStore } from '../types.js';
import { DAY, MINUTE, type SuiteHarness } from './harness.js';

/** The `session index` tests; an adapter without `sessionStore()` skips them, saying so. */
export function sessionIndexSuite(suite: SuiteHarness): void {
  const { unique } = suite;
  describe('session index (gatehouse adapters: devices and JWT revocations)', () => {
    function record(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
      const now = Date.now();
      return {
        id: unique('sid'),
        userId,
        createdAt: new Date(now - MINUTE),
        lastActiveAt: new Date(now - MINUTE),
        expires: new Date(now + DAY),
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
        ipAddress: '203.0.113.7',
        ...overrides,
      };
    }

    function check(name: string, fn: (index: SessionStore) => Promise<void>): void {
      suite.check(name, async (t) => {
        const make = (suite.adapter as { sessionStore?: () => SessionStore }).sessionStore;
        if (typeof make !== 'function') return t.skip('sessionStore is a gatehouse addition; this adapter has none');
        await fn(make.call(suite.adapter));
      });
    }

    check('saveSession then listUserSessions returns every field, most recently active first', async (index) => {
      const user = unique('user');
      const older = record(user, { lastActiveAt: new Date(Date.now() - 10 * MINUTE) });
      const newer = record(user, { userAgent: null, ipAddress: null });
      await index.saveSession(older);
      await index.saveSession(newer);
      await index.saveSession(record(unique('someone-else')));
      const listed = await index.listUserSessions(user);
      assert.deepEqual(
        listed.map((r) => r.id),
        [newer.id, older.id],
      );
      assert.deepEqual(listed[1], older, 'every field comes back as saved (millisecond dates)');
      assert.equal(listed[0]!.userAgent, null);
      assert.equal(listed[0]!.ipAddress, null);
    });

    check('saveSession with an existing id replaces the record', async (index) => {
      const user = unique('user');
      const first = record(user);
      await index.saveSession(first);
      await index.saveSession({ ...first, userAgent: 'curl/8.5.0' });
      const listed = await index.listUserSessions(user);
      assert.equal(listed.length, 1);
      assert.equal(listed[0]!.userAgent, 'curl/8.5.0');
    });

    check('expired records are not listed', async (index) => {
      const user = unique('user');
      await index.saveSession(record(user, { expires: new Date(Date.now() - MINUTE) }));
      const live = record(user);
      await index.saveSession(live);
      assert.deepEqual(
        (await index.listUserSessions(user)).map((r) => r.id),
        [live.id],
      );
    });

    check('touchSession moves lastActiveAt and expires; an unknown id is no error', async (index) => {
      const user = unique('user');
      const saved = record(user);
      await index.saveSession(saved);
      const active = new Date(Date.now() + 1000);
      const expires = new Date(Date.now() + 2 * DAY);
      await index.touchSession(saved.id, active, expires);
      await index.touchSession(unique('missing'), active, expires);
      const [read] = await index.listUserSessions(user);
      assert.equal(read!.lastActiveAt.valueOf(), active.valueOf());
      assert.equal(read!.expires.valueOf(), expires.valueOf());
      assert.equal(read!.createdAt.valueOf(), saved.createdAt.valueOf(), 'createdAt stays');
    });

    check('revokeSessions without `until` deletes the records and logs nothing', async (index) => {
      const user = unique('user');
      const a = record(user);
      const b = record(user);
      await index.saveSession(a);
      await index.saveSession(b);
      const before = Date.now() - MINUTE;
      await index.revokeSessions([a.id], null);
      assert.deepEqual(
        (await index.listUserSessions(user)).map((r) => r.id),
        [b.id],
      );
      assert.ok(!(await index.revocationsSince(before)).some((r) => r.id === a.id), 'a database session needs no revocation entry');
    });

    check('revokeSessions with `until` deletes the records and logs each id until then, in time order', async (index) => {
      const user = unique('user');
      const a = record(user);
      const b = record(user);
      await index.saveSession(a);
      await index.saveSession(b);
      const cursor = Math.max(0, ...(await index.revocationsSince(0)).map((r) => r.revokedAt));
      const until = new Date(Date.now() + DAY);
      await index.revokeSessions([a.id], until);
      await index.revokeSessions([b.id, unique('never-saved')], until);
      assert.deepEqual(await index.listUserSessions(user), []);
      const log = (await index.revocationsSince(cursor)).filter((r) => r.id === a.id || r.id === b.id);
      assert.deepEqual(
        log.map((r) => r.id),
        [a.id, b.id],
      );
      for (const entry of log) {
        assert.equal(entry.expires, until.valueOf());
        assert.ok(entry.revokedAt >= cursor);
      }
      const newest = Math.max(...log.map((r) => r.revokedAt));
      assert.ok(!(await index.revocationsSince(newest + 1)).some((r) => r.id === a.id || (r.id === b.id && r.revokedAt <= newest)), 'the cursor moves past what was read');
    });

    check('revocations past their expiry are not returned', async (index) => {
      const id = unique('sid');
      await index.revokeSessions([id], new Date(Date.now() - MINUTE));
      assert.ok(!(await index.revocationsSince(0)).some((r) => r.id === id));
    });

    check('revoking the same id twice leaves one entry', async (index) => {
      const id = unique('sid');
      const until = new Date(Date.now() + DAY);
      await index.revokeSessions([id], until);
      await index.revokeSessions([id], until);
      assert.equal((await index.revocationsSince(0)).filter((r) => r.id === id).length, 1);
    });

    check('parallel revocations are all logged', async (index) => {
      const ids = Array.from({ length: 12 }, () => unique('sid'));
      const until = new Date(Date.now() + DAY);
      await Promise.all(ids.map((id) => index.revokeSessions([id], until)));
      const logged = new Set((await index.revocationsSince(0)).map((r) => r.id));
      for (const id of ids) assert.ok(logged.has(id), `${id} missing`);
    });
  });
}
