// Adapter conformance, linked accounts: every token field stored, one owner per provider account, unlink.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AdapterUser } from '../types.js';
import { idOf, settle, type SuiteHarness } from './harness.js';

/** The `accounts` tests. */
export function accountsSuite(suite: SuiteHarness): void {
  const { check, newUser, account, unique } = suite;
  describe('accounts', () => {
    check('linkAccount stores every token field, and getUserByAccount finds the user', async () => {
      const user = await newUser();
      const linked = account(user);
      await suite.adapter.linkAccount(linked);
      const found = await suite.adapter.getUserByAccount({ provider: linked.provider, providerAccountId: linked.providerAccountId });
      assert.ok(found);
      assert.equal(idOf(found), idOf(user));
      if (suite.options.storage) {
        const rows = await suite.options.storage.accounts(idOf(user));
        assert.equal(rows.length, 1);
        const row = rows[0] as Record<string, unknown>;
        for (const field of ['type', 'provider', 'providerAccountId', 'access_token', 'refresh_token', 'id_token', 'token_type', 'scope', 'session_state'] as const) {
          assert.equal(row[field], linked[field], `stored ${field}`);
        }
        assert.equal(Number(row.expires_at), linked.expires_at);
        assert.equal(String(row.userId), idOf(user));
      }
    });

    check('a user may link several accounts; the same id on another provider is another account', async () => {
      const ann = await newUser();
      const bob = await newUser();
      const sharedId = unique('12345');
      await suite.adapter.linkAccount(account(ann, { provider: 'github', providerAccountId: sharedId }));
      await suite.adapter.linkAccount(account(ann, { provider: 'google', type: 'oidc', providerAccountId: unique('g') }));
      await suite.adapter.linkAccount(account(bob, { provider: 'gitlab', providerAccountId: sharedId }));
      assert.equal(idOf((await suite.adapter.getUserByAccount({ provider: 'github', providerAccountId: sharedId })) as AdapterUser), idOf(ann));
      assert.equal(idOf((await suite.adapter.getUserByAccount({ provider: 'gitlab', providerAccountId: sharedId })) as AdapterUser), idOf(bob));
    });

    check('a duplicate account is refused with a clear error and stays with its first user', async () => {
      const ann = await newUser();
      const bob = await newUser();
      const first = account(ann);
      await suite.adapter.linkAccount(first);
      for (const owner of [bob, ann]) {
        const attempt = await settle(suite.adapter.linkAccount(account(owner, { providerAccountId: first.providerAccountId })));
        assert.equal(attempt.ok, false, 'the account was linked twice');
        if (!attempt.ok) assert.match(String((attempt.error as Error).message), /account/i);
      }
      assert.equal(idOf((await suite.adapter.getUserByAccount(first)) as AdapterUser), idOf(ann));
      if (suite.options.storage) {
        const rows = await suite.options.storage.accounts(idOf(ann));
        assert.equal(rows.length, 1);
        assert.equal(rows[0]?.access_token, first.access_token, 'the first account was overwritten');
      }
    });

    check('createUserWithAccount writes the user and the account together, or neither (gatehouse adapters)', async (t) => {
      const create = (suite.adapter as { createUserWithAccount?: unknown }).createUserWithAccount as ((user: Omit<AdapterUser, 'id'>, account: Record<string, unknown>) => Promise<{ user: AdapterUser }>) | undefined;
      if (typeof create !== 'function') return t.skip('createUserWithAccount is a gatehouse addition; this adapter has none');
      const run = (user: Omit<AdapterUser, 'id'>, linked: Record<string, unknown>) => create.call(suite.adapter, user, linked);
      const email = suite.email('signup');
      const { userId: _owner, ...first } = account({ id: 'unused' } as AdapterUser);
      const { user } = await run({ email, emailVerified: null, name: 'Sign Up' }, first);
      assert.equal(idOf((await suite.adapter.getUserByAccount({ provider: String(first.provider), providerAccountId: String(first.providerAccountId) })) as AdapterUser), idOf(user));
      assert.equal(idOf((await suite.adapter.getUserByEmail(email)) as AdapterUser), idOf(user));

      // The account exists already: the new user must not be left behind.
      const orphan = suite.email('orphan');
      assert.equal((await settle(run({ email: orphan, emailVerified: null, name: 'Orphan' }, first))).ok, false);
      assert.equal(await suite.adapter.getUserByEmail(orphan), null, 'no user without its account');
      // The email is taken: the account must not be linked to anyone.
      const { userId: _other, ...second } = account({ id: 'unused' } as AdapterUser, { providerAccountId: unique('second') });
      assert.equal((await settle(run({ email, emailVerified: null, name: 'Again' }, second))).ok, false);
      assert.equal(await suite.adapter.getUserByAccount({ provider: String(second.provider), providerAccountId: String(second.providerAccountId) }), null, 'no account without its user');
    });

    check('getUserByAccount of an unknown account is null', async () => {
      assert.equal(await suite.adapter.getUserByAccount({ provider: 'github', providerAccountId: unique('nobody') }), null);
    });

    check('unlinkAccount removes only that account; an unknown account resolves', async () => {
      const user = await newUser();
      const kept = account(user, { provider: 'google' });
      const removed = account(user);
      await suite.adapter.linkAccount(kept);
      await suite.adapter.linkAccount(removed);
      await suite.adapter.unlinkAccount({ provider: removed.provider, providerAccountId: removed.providerAccountId });
      assert.equal(await suite.adapter.getUserByAccount(removed), null);
      assert.equal(idOf((await suite.adapter.getUserByAccount(kept)) as AdapterUser), idOf(user));
      assert.ok(await suite.adapter.getUser(idOf(user)), 'unlinking removed the user');
      await suite.adapter.unlinkAccount({ provider: 'github', providerAccountId: unique('nobody') });
    });
  });
}
