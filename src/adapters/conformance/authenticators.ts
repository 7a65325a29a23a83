// Adapter conformance, passkeys (`authenticatorStore()`): WebAuthn credentials stored whole, listed oldest first, the counter rule of WebAuthn §6.1.1 in one atomic step, owner-scoped changes, cleanup with the user.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AuthenticatorRecord, AuthenticatorStore } from '../types.js';
import { at, DAY, HOUR, MINUTE, type SuiteHarness } from './harness.js';

/** The largest signature counter: a 32-bit unsigned integer (WebAuthn §6.1, authenticator data `signCount`). */
const MAX_COUNTER = 2 ** 32 - 1;

/** The `authenticators` tests; an adapter without `authenticatorStore()` skips them, saying so. */
export function authenticatorsSuite(suite: SuiteHarness): void {
  const { unique } = suite;
  describe('authenticators (gatehouse adapters: passkeys)', () => {
    /** A base64url credential ID of this run; `length` pads it (real ones run from 16 to 1023 bytes). */
    const credentialID = (length = 43) => `${unique('cred').replaceAll('-', '_')}${'A'.repeat(length)}`.slice(0, Math.max(length, 24));
    const record = (userId: string, overrides: Partial<AuthenticatorRecord> = {}): AuthenticatorRecord => ({
      credentialID: credentialID(),
      userId,
      publicKey: `pQECAyYgASFYI${unique('key').replaceAll('-', '_')}`,
      counter: 0,
      transports: ['internal', 'hybrid'],
      backedUp: true,
      deviceType: 'multiDevice',
      name: null,
      createdAt: at(-HOUR),
      lastUsedAt: null,
      ...overrides,
    });

    function check(name: string, fn: (store: AuthenticatorStore) => Promise<void>): void {
      suite.check(name, async (t) => {
        const make = (suite.adapter as { authenticatorStore?: () => AuthenticatorStore }).authenticatorStore;
        if (typeof make !== 'function') return t.skip('authenticatorStore is a gatehouse addition; this adapter has none');
        await fn(make.call(suite.adapter));
      });
    }

    check('createAuthenticator then getAuthenticator returns every field, dates to the millisecond; unknown ids have none', async (store) => {
      const user = unique('user');
      const plain = record(user);
      assert.equal(await store.createAuthenticator(plain), true);
      assert.deepEqual(await store.getAuthenticator(plain.credentialID), plain);

      // The other values of every field: a counting single-device key, one transport, none, a name, used before.
      const used = record(user, {
        counter: 7,
        transports: ['usb'],
        backedUp: false,
        deviceType: 'singleDevice',
        name: 'YubiKey 5 — 仕事用',
        createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)),
        lastUsedAt: at(-MINUTE),
      });
      assert.equal(await store.createAuthenticator(used), true);
      assert.deepEqual(await store.getAuthenticator(used.credentialID), used);
      const bare = record(user, { transports: [] });
      assert.equal(await store.createAuthenticator(bare), true);
      assert.deepEqual((await store.getAuthenticator(bare.credentialID))?.transports, []);

      assert.equal(await store.getAuthenticator(credentialID()), null);
    });

    check('a credential ID is stored once, whoever registers it: the second is refused and the first kept', async (store) => {
      const first = record(unique('user'));
      assert.equal(await store.createAuthenticator(first), true);
      assert.equal(await store.createAuthenticator({ ...first, publicKey: 'another-key' }), false, 'the same user again');
      assert.equal(await store.createAuthenticator({ ...first, userId: unique('user'), publicKey: 'another-key' }), false, 'another user');
      assert.deepEqual(await store.getAuthenticator(first.credentialID), first);
      // Parallel registrations of one new credential: exactly one is stored.
      const contested = record(unique('user'));
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createAuthenticator({ ...contested, publicKey: `key-${i}` })));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal((await store.getAuthenticator(contested.credentialID))?.publicKey, `key-${winner}`);
    });

    check('credential IDs are exact: ids differing in case are two credentials; a 1023-byte id (base64url) fits', async (store) => {
      const user = unique('user');
      const lower = `${credentialID().toLowerCase()}x`;
      const upper = lower.toUpperCase();
      assert.equal(await store.createAuthenticator(record(user, { credentialID: lower })), true);
      assert.equal(await store.createAuthenticator(record(user, { credentialID: upper, publicKey: 'upper-key' })), true);
      assert.equal((await store.getAuthenticator(upper))?.publicKey, 'upper-key');
      assert.notEqual((await store.getAuthenticator(lower))?.publicKey, 'upper-key');
      // WebAuthn §5.1: credential IDs are at most 1023 bytes, 1364 characters in base64url.
      const longest = record(user, { credentialID: credentialID(1364) });
      assert.equal(longest.credentialID.length, 1364);
      assert.equal(await store.createAuthenticator(longest), true);
      assert.deepEqual(await store.getAuthenticator(longest.credentialID), longest);
    });

    check('listAuthenticators is the user’s own credentials, oldest first; a user with none has an empty list', async (store) => {
      const user = unique('user');
      const other = unique('user');
      // Created out of order: the list follows createdAt, not the order of the writes.
      const newest = record(user, { createdAt: at(-MINUTE), name: 'newest' });
      const oldest = record(user, { createdAt: at(-DAY), name: 'oldest' });
      const middle = record(user, { createdAt: at(-HOUR), name: 'middle' });
      for (const one of [newest, oldest, middle]) assert.equal(await store.createAuthenticator(one), true);
      await store.createAuthenticator(record(other, { name: 'not theirs' }));
      assert.deepEqual(await store.listAuthenticators(user), [oldest, middle, newest]);
      assert.deepEqual(
        (await store.listAuthenticators(other)).map((one) => one.name),
        ['not theirs'],
      );
      assert.deepEqual(await store.listAuthenticators(unique('nobody')), []);
    });

    check('useAuthenticator: a greater counter is stored with the time; equal or lower is refused and changes nothing', async (store) => {
      const counting = record(unique('user'), { counter: 10 });
      await store.createAuthenticator(counting);
      const first = at(-2 * MINUTE);
      assert.equal(await store.useAuthenticator(counting.credentialID, 11, first), true, 'a greater counter');
      assert.deepEqual(await store.getAuthenticator(counting.credentialID), { ...counting, counter: 11, lastUsedAt: first });
      assert.equal(await store.useAuthenticator(counting.credentialID, 11, at(0)), false, 'the same counter: a replay or a clone');
      assert.equal(await store.useAuthenticator(counting.credentialID, 5, at(0)), false, 'a lower counter');
      assert.equal(await store.useAuthenticator(counting.credentialID, 0, at(0)), false, 'zero after counting');
      assert.deepEqual(await store.getAuthenticator(counting.credentialID), { ...counting, counter: 11, lastUsedAt: first }, 'refused uses leave the record as it was');
      const later = at(-MINUTE);
      assert.equal(await store.useAuthenticator(counting.credentialID, MAX_COUNTER, later), true, 'the largest 32-bit counter');
      assert.deepEqual(await store.getAuthenticator(counting.credentialID), { ...counting, counter: MAX_COUNTER, lastUsedAt: later });
      assert.equal(await store.useAuthenticator(credentialID(), 1, at(0)), false, 'an unknown credential');
    });

    check('useAuthenticator: an authenticator without a counter (0 stored, 0 sent) is allowed each time; one that starts counting then counts', async (store) => {
      const silent = record(unique('user'));
      await store.createAuthenticator(silent);
      const first = at(-2 * MINUTE);
      const second = at(-MINUTE);
      assert.equal(await store.useAuthenticator(silent.credentialID, 0, first), true);
      assert.equal(await store.useAuthenticator(silent.credentialID, 0, second), true, 'both 0 again');
      assert.deepEqual(await store.getAuthenticator(silent.credentialID), { ...silent, lastUsedAt: second });
      assert.equal(await store.useAuthenticator(silent.credentialID, 1, at(0)), true, 'a counter appears');
      assert.equal(await store.useAuthenticator(silent.credentialID, 0, at(0)), false, 'and cannot go back to 0');
      assert.equal((await store.getAuthenticator(silent.credentialID))?.counter, 1);
    });

    check('useAuthenticator is atomic: 20 parallel assertions with one counter, exactly one is accepted', async (store) => {
      const key = record(unique('user'), { counter: 41 });
      await store.createAuthenticator(key);
      const usedAt = at(-MINUTE);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.useAuthenticator(key.credentialID, 42, usedAt)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.deepEqual(await store.getAuthenticator(key.credentialID), { ...key, counter: 42, lastUsedAt: usedAt });
      // Parallel assertions with different counters: the stored counter ends at the greatest, whatever the order.
      const counters = Array.from({ length: 10 }, (_, i) => 50 + i);
      const mixed = await Promise.all(counters.map((counter) => store.useAuthenticator(key.credentialID, counter, usedAt)));
      assert.ok(mixed.some(Boolean));
      assert.equal((await store.getAuthenticator(key.credentialID))?.counter, 59);
    });

    check('renameAuthenticator and deleteAuthenticator act only on the owner’s credential; another user’s id is refused', async (store) => {
      const owner = unique('user');
      const intruder = unique('user');
      const key = record(owner, { name: 'Laptop' });
      await store.createAuthenticator(key);
      await store.createAuthenticator(record(intruder));

      assert.equal(await store.renameAuthenticator(intruder, key.credentialID, 'mine now'), false);
      assert.equal((await store.getAuthenticator(key.credentialID))?.name, 'Laptop');
      assert.equal(await store.renameAuthenticator(owner, key.credentialID, 'Work laptop'), true);
      assert.equal(await store.renameAuthenticator(owner, key.credentialID, 'Work laptop'), true, 'the same name again: the credential is still there');
      assert.equal((await store.getAuthenticator(key.credentialID))?.name, 'Work laptop');
      assert.equal(await store.renameAuthenticator(owner, key.credentialID, null), true);
      assert.equal((await store.getAuthenticator(key.credentialID))?.name, null);
      assert.equal(await store.renameAuthenticator(owner, credentialID(), 'ghost'), false, 'an unknown credential');

      assert.equal(await store.deleteAuthenticator(intruder, key.credentialID), false);
      assert.notEqual(await store.getAuthenticator(key.credentialID), null, 'another user cannot delete it');
      assert.equal(await store.deleteAuthenticator(owner, key.credentialID), true);
      assert.equal(await store.getAuthenticator(key.credentialID), null);
      assert.equal(await store.deleteAuthenticator(owner, key.credentialID), false, 'already gone');
      assert.equal((await store.listAuthenticators(intruder)).length, 1, 'the intruder’s own credential is untouched');
    });

    check('deleteUser removes the user’s passkeys and no one else’s', async (store) => {
      const user = await suite.newUser();
      const neighbour = await suite.newUser();
      const keys = [record(String(user.id)), record(String(user.id), { createdAt: at(-MINUTE) })];
      for (const key of keys) await store.createAuthenticator(key);
      const kept = record(String(neighbour.id));
      await store.createAuthenticator(kept);
      await suite.adapter.deleteUser(user.id);
      assert.deepEqual(await store.listAuthenticators(String(user.id)), [], 'no passkey outlives its user');
      for (const key of keys) assert.equal(await store.getAuthenticator(key.credentialID), null);
      assert.deepEqual(await store.listAuthenticators(String(neighbour.id)), [kept]);
    });
  });
}
