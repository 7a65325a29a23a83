// Adapter conformance, users: create, read by id and email, partial updates, unique emails under concurrency, delete with what the user owns.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AdapterUser } from '../types.js';
import { at, idOf, MINUTE, sameInstant, settle, type SuiteHarness } from './harness.js';

/** The `users` tests. */
export function usersSuite(suite: SuiteHarness): void {
  const { check, newUser, newSession, account, unique, email } = suite;
  describe('users', () => {
    check('createUser returns the user with an id, and getUser reads it back', async () => {
      const verified = at(-MINUTE);
      const input = { email: email('ann'), emailVerified: verified, name: 'Ann', image: 'https://example.com/ann.png' };
      const created = await suite.adapter.createUser(input);
      assert.ok(idOf(created).length > 0);
      assert.equal(created.email, input.email);
      sameInstant(created.emailVerified, verified);
      const read = await suite.adapter.getUser(idOf(created));
      assert.ok(read, 'getUser found nothing');
      assert.equal(idOf(read), idOf(created));
      assert.equal(read.name, 'Ann');
      assert.equal(read.email, input.email);
      assert.equal(read.image, input.image);
      sameInstant(read.emailVerified, verified);
    });

    check('createUser keeps absent name, image and emailVerified as null', async () => {
      const created = await suite.adapter.createUser({ email: email('bare'), emailVerified: null });
      const read = await suite.adapter.getUser(idOf(created));
      assert.ok(read);
      assert.equal(read.emailVerified, null);
      assert.equal(read.name ?? null, null);
      assert.equal(read.image ?? null, null);
    });

    check('getUser of an unknown or malformed id is null', async () => {
      for (const id of [crypto.randomUUID(), '999999999', '99999999999999999999999', 'not-a-number', "1' OR '1'='1", '1abc']) {
        assert.equal(await suite.adapter.getUser(id), null, `getUser(${JSON.stringify(id)})`);
      }
    });

    check('getUserByEmail finds the user; an unknown email is null', async () => {
      const created = await newUser();
      const found = await suite.adapter.getUserByEmail(created.email);
      assert.ok(found);
      assert.equal(idOf(found), idOf(created));
      assert.equal(await suite.adapter.getUserByEmail(email('nobody')), null);
    });

    check('a duplicate email is refused with a clear error, and the first user is intact', async () => {
      const first = await newUser({ name: 'First' });
      const attempt = await settle(suite.adapter.createUser({ email: first.email, emailVerified: null, name: 'Second' }));
      assert.equal(attempt.ok, false, 'a second user with the same email was created');
      if (!attempt.ok) assert.match(String((attempt.error as Error).message), /email/i);
      const found = await suite.adapter.getUserByEmail(first.email);
      assert.ok(found);
      assert.equal(idOf(found), idOf(first));
      assert.equal(found.name, 'First');
    });

    check('concurrent createUser with one email: exactly one succeeds', async () => {
      const shared = email('race');
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => settle(suite.adapter.createUser({ email: shared, emailVerified: null, name: `Racer ${i}` }))));
      const winners = outcomes.filter((outcome) => outcome.ok);
      assert.equal(winners.length, 1, `${winners.length} users were created for one email`);
      const found = await suite.adapter.getUserByEmail(shared);
      assert.ok(found && winners[0]?.ok);
      assert.equal(idOf(found), idOf(winners[0].value));
    });

    check('emails differing only by case or accent are different users', async () => {
      const base = unique('zoe');
      const variants = [`${base}@example.com`, `${base.toUpperCase()}@example.com`, `${base.replace('zoe', 'zoë')}@example.com`];
      const users = [];
      for (const variant of variants) users.push(await suite.adapter.createUser({ email: variant, emailVerified: null }));
      for (const [index, variant] of variants.entries()) {
        const found = await suite.adapter.getUserByEmail(variant);
        assert.ok(found, `no user for ${variant}`);
        assert.equal(idOf(found), idOf(users[index] as AdapterUser), `${variant} found another user`);
      }
    });

    check('unicode names, emails and image URLs round-trip', async () => {
      const name = '🦊 Zoë Ångström 李小龍 مرحبا';
      const address = `${unique('zoë.ångström+李')}@exämple.org`;
      const image = 'https://example.org/avatars/zoë 🦊.png';
      const created = await suite.adapter.createUser({ email: address, emailVerified: null, name, image });
      const byId = await suite.adapter.getUser(idOf(created));
      const byEmail = await suite.adapter.getUserByEmail(address);
      for (const read of [byId, byEmail]) {
        assert.ok(read);
        assert.equal(read.name, name);
        assert.equal(read.email, address);
        assert.equal(read.image, image);
      }
    });

    check('updateUser writes only the fields given and returns the updated user', async () => {
      const created = await newUser({ name: 'Before', image: 'https://example.com/a.png' });
      const verified = at(0);
      const updated = await suite.adapter.updateUser({ id: idOf(created), emailVerified: verified });
      assert.ok(updated);
      sameInstant(updated.emailVerified, verified);
      assert.equal(updated.name, 'Before');
      await suite.adapter.updateUser({ id: idOf(created), name: 'After' });
      const read = await suite.adapter.getUser(idOf(created));
      assert.ok(read);
      assert.equal(read.name, 'After');
      assert.equal(read.image, 'https://example.com/a.png');
      assert.equal(read.email, created.email);
      sameInstant(read.emailVerified, verified);
    });

    check('updateUser to an email another user has is refused; both users are intact', async () => {
      const ann = await newUser({ name: 'Ann' });
      const bob = await newUser({ name: 'Bob' });
      const attempt = await settle(suite.adapter.updateUser({ id: idOf(bob), email: ann.email }));
      assert.equal(attempt.ok, false, 'two users now share an email');
      assert.equal(idOf((await suite.adapter.getUserByEmail(ann.email)) as AdapterUser), idOf(ann));
      const bobNow = await suite.adapter.getUser(idOf(bob));
      assert.equal(bobNow?.email, bob.email);
      const moved = email('moved');
      await suite.adapter.updateUser({ id: idOf(bob), email: moved });
      assert.equal(idOf((await suite.adapter.getUserByEmail(moved)) as AdapterUser), idOf(bob));
      assert.equal(await suite.adapter.getUserByEmail(bob.email), null, 'the old email still finds the user');
    });

    check('updateUser of an unknown id is refused', async () => {
      const attempt = await settle(suite.adapter.updateUser({ id: crypto.randomUUID(), name: 'Ghost' }));
      assert.equal(attempt.ok, false);
    });

    check('deleteUser removes the user, their sessions and accounts, and nothing of other users', async (t) => {
      const doomed = await newUser();
      const other = await newUser();
      const doomedAccount = account(doomed);
      const otherAccount = account(other);
      await suite.adapter.linkAccount(doomedAccount);
      await suite.adapter.linkAccount(otherAccount);
      const doomedSessions = [await newSession(doomed), await newSession(doomed)];
      const otherSession = await newSession(other);

      await suite.adapter.deleteUser(idOf(doomed));

      assert.equal(await suite.adapter.getUser(idOf(doomed)), null);
      assert.equal(await suite.adapter.getUserByEmail(doomed.email), null);
      assert.equal(await suite.adapter.getUserByAccount(doomedAccount), null);
      for (const token of doomedSessions) assert.equal(await suite.adapter.getSessionAndUser(token), null);
      if (suite.options.storage) {
        assert.deepEqual(await suite.options.storage.sessions(idOf(doomed)), [], 'session rows remain');
        assert.deepEqual(await suite.options.storage.accounts(idOf(doomed)), [], 'account rows remain');
      } else {
        t.diagnostic('no storage probe: rows checked through the adapter only');
      }
      assert.equal(idOf((await suite.adapter.getUser(idOf(other))) as AdapterUser), idOf(other));
      assert.equal(idOf((await suite.adapter.getUserByAccount(otherAccount)) as AdapterUser), idOf(other));
      assert.ok(await suite.adapter.getSessionAndUser(otherSession));
      // The email is free again.
      await suite.adapter.createUser({ email: doomed.email, emailVerified: null });
    });

    check('deleteUser of an unknown id resolves', async () => {
      await suite.adapter.deleteUser(crypto.randomUUID());
    });
  });
}
