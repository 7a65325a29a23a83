// Adapter conformance, database sessions: stored hashed, read with their user, extended, deleted, listed by handle, legacy raw rows upgraded.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { at, DAY, HOUR, idOf, MINUTE, sameInstant, type SuiteHarness } from './harness.js';

/** The `sessions` tests. */
export function sessionsSuite(suite: SuiteHarness): void {
  const { check, newUser, newSession } = suite;
  describe('sessions', () => {
    check('createSession returns the token given, and getSessionAndUser reads it back with its user', async () => {
      const user = await newUser({ name: 'Sess' });
      const expires = at(DAY);
      const sessionToken = crypto.randomUUID();
      const created = await suite.adapter.createSession({ sessionToken, userId: idOf(user), expires });
      assert.equal(created.sessionToken, sessionToken);
      sameInstant(created.expires, expires);
      const found = await suite.adapter.getSessionAndUser(sessionToken);
      assert.ok(found);
      assert.equal(found.session.sessionToken, sessionToken);
      assert.equal(String(found.session.userId), idOf(user));
      sameInstant(found.session.expires, expires);
      assert.equal(idOf(found.user), idOf(user));
      assert.equal(found.user.name, 'Sess');
    });

    check('session tokens are stored hashed, never as given', async (t) => {
      const user = await newUser();
      const token = await newSession(user);
      let stored: string[];
      if (suite.options.storage) stored = (await suite.options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
      else if (suite.adapter.listSessions) stored = (await suite.adapter.listSessions(idOf(user))).map((row) => row.sessionToken);
      else return t.skip('neither a storage probe nor listSessions to see what was stored');
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0], token);
      assert.ok(!stored[0]?.includes(token), 'the stored value contains the token');
    });

    check('a stored session value is not accepted as a session token', async (t) => {
      const user = await newUser();
      const token = await newSession(user);
      let stored: string[];
      if (suite.options.storage) stored = (await suite.options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
      else if (suite.adapter.listSessions) stored = (await suite.adapter.listSessions(idOf(user))).map((row) => row.sessionToken);
      else return t.skip('neither a storage probe nor listSessions to see what was stored');
      for (const value of stored) assert.equal(await suite.adapter.getSessionAndUser(value), null, 'a leaked stored value signs in');
      assert.ok(await suite.adapter.getSessionAndUser(token));
    });

    check('getSessionAndUser of an unknown token is null', async () => {
      for (const token of [crypto.randomUUID(), 'x'.repeat(64), "' OR '1'='1"]) {
        assert.equal(await suite.adapter.getSessionAndUser(token), null);
      }
    });

    check('updateSession moves the expiry; an unknown token changes nothing', async () => {
      const user = await newUser();
      const token = await newSession(user, at(MINUTE));
      const later = at(30 * DAY);
      const updated = await suite.adapter.updateSession({ sessionToken: token, expires: later });
      if (updated) sameInstant(updated.expires, later, 'updateSession returned the old expiry');
      const found = await suite.adapter.getSessionAndUser(token);
      assert.ok(found);
      sameInstant(found.session.expires, later);
      const ghost = crypto.randomUUID();
      assert.equal((await suite.adapter.updateSession({ sessionToken: ghost, expires: later })) ?? null, null);
      assert.equal(await suite.adapter.getSessionAndUser(ghost), null, 'updateSession created a session');
    });

    check('deleteSession removes the session; an unknown token resolves', async () => {
      const user = await newUser();
      const token = await newSession(user);
      const kept = await newSession(user);
      await suite.adapter.deleteSession(token);
      assert.equal(await suite.adapter.getSessionAndUser(token), null);
      assert.ok(await suite.adapter.getSessionAndUser(kept), 'deleteSession removed another session');
      await suite.adapter.deleteSession(crypto.randomUUID());
    });

    check('an expired session is never returned as live', async () => {
      const user = await newUser();
      const expired = at(-MINUTE);
      const token = await newSession(user, expired);
      // v4 semantics: the adapter may return the row and the core checks `expires`; a TTL store returns nothing.
      const found = await suite.adapter.getSessionAndUser(token);
      if (found) assert.ok(new Date(found.session.expires).valueOf() <= Date.now(), 'an expired session came back live');
      await suite.adapter.deleteSession(token);
      assert.equal(await suite.adapter.getSessionAndUser(token), null);
    });

    check('listSessions lists the unexpired sessions of one user, by stored handle, newest expiry first', async (t) => {
      if (!suite.adapter.listSessions) return t.skip('listSessions is a gatehouse addition; this adapter has none');
      const user = await newUser();
      const other = await newUser();
      const soon = at(HOUR);
      const later = at(DAY);
      const tokens = [await newSession(user, soon), await newSession(user, later)];
      await newSession(user, at(-MINUTE));
      await newSession(other);
      const listed = await suite.adapter.listSessions(idOf(user));
      assert.equal(listed.length, 2);
      assert.deepEqual(
        listed.map((session) => new Date(session.expires).valueOf()),
        [later.valueOf(), soon.valueOf()],
      );
      for (const session of listed) {
        assert.equal(String(session.userId), idOf(user));
        assert.ok(!tokens.includes(session.sessionToken), 'listSessions exposes a usable token');
      }
      assert.deepEqual(await suite.adapter.listSessions(crypto.randomUUID()), []);
    });

    check('deleteSession accepts a stored handle from listSessions', async (t) => {
      if (!suite.adapter.listSessions) return t.skip('listSessions is a gatehouse addition; this adapter has none');
      const user = await newUser();
      const token = await newSession(user);
      const [handle] = await suite.adapter.listSessions(idOf(user));
      assert.ok(handle);
      await suite.adapter.deleteSession(handle.sessionToken);
      assert.equal(await suite.adapter.getSessionAndUser(token), null);
    });

    check('deleteSessionsExcept keeps only the given session, by token or handle; null removes them all', async (t) => {
      if (!suite.adapter.deleteSessionsExcept || !suite.adapter.listSessions) return t.skip('gatehouse additions missing');
      const user = await newUser();
      const other = await newUser();
      const [a, b, c] = [await newSession(user, at(DAY)), await newSession(user, at(2 * DAY)), await newSession(user, at(3 * DAY))];
      const otherToken = await newSession(other);
      await suite.adapter.deleteSessionsExcept(idOf(user), b);
      assert.equal(await suite.adapter.getSessionAndUser(a), null);
      assert.ok(await suite.adapter.getSessionAndUser(b), 'the kept session was deleted');
      assert.equal(await suite.adapter.getSessionAndUser(c), null);
      assert.ok(await suite.adapter.getSessionAndUser(otherToken), "another user's session was deleted");

      const d = await newSession(user, at(4 * DAY));
      const handles = await suite.adapter.listSessions(idOf(user));
      const handleOfB = handles.find((session) => new Date(session.expires).valueOf() < at(3 * DAY).valueOf());
      assert.ok(handleOfB);
      await suite.adapter.deleteSessionsExcept(idOf(user), handleOfB.sessionToken);
      assert.ok(await suite.adapter.getSessionAndUser(b), 'keeping by handle deleted the session');
      assert.equal(await suite.adapter.getSessionAndUser(d), null);

      await suite.adapter.deleteSessionsExcept(idOf(user), null);
      assert.equal(await suite.adapter.getSessionAndUser(b), null);
      assert.deepEqual(await suite.adapter.listSessions(idOf(user)), []);
      assert.ok(await suite.adapter.getSessionAndUser(otherToken));
    });

    check('a session written raw by next-auth still works and is upgraded to its hash', async (t) => {
      const insert = suite.options.storage?.insertLegacySession;
      if (!insert || !suite.options.storage) return t.skip('no next-auth layout to write a legacy row in');
      const user = await newUser();
      const raw = crypto.randomUUID();
      const expires = at(DAY);
      await insert({ sessionToken: raw, userId: idOf(user), expires });
      const found = await suite.adapter.getSessionAndUser(raw);
      assert.ok(found, 'a next-auth session stopped working');
      assert.equal(idOf(found.user), idOf(user));
      sameInstant(found.session.expires, expires);
      const stored = (await suite.options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0], raw, 'the raw row was not upgraded on use');
      assert.ok(await suite.adapter.getSessionAndUser(raw), 'the upgraded row no longer works');

      const second = crypto.randomUUID();
      await insert({ sessionToken: second, userId: idOf(user), expires });
      const later = at(2 * DAY);
      await suite.adapter.updateSession({ sessionToken: second, expires: later });
      sameInstant((await suite.adapter.getSessionAndUser(second))?.session.expires, later);
      const third = crypto.randomUUID();
      await insert({ sessionToken: third, userId: idOf(user), expires });
      await suite.adapter.deleteSession(third);
      assert.equal(await suite.adapter.getSessionAndUser(third), null);
      assert.ok(!(await suite.options.storage.sessions(idOf(user))).some((row) => row.sessionToken === third));
    });
  });
}
