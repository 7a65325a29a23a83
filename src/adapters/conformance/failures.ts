// Adapter conformance, failures of a real store: dropped connections recovered from, a multi-step delete interrupted half-way.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AdapterUser, AuthenticatorStore } from '../types.js';
import { HANG_GUARD, idOf, settle, type Full, type SuiteHarness } from './harness.js';

/** The `failures` tests. */
export function failuresSuite(suite: SuiteHarness): void {
  const { check, newUser, newSession, account } = suite;
  describe('failures', () => {
    check(
      'a dropped connection is reported, and the adapter recovers without a restart',
      async (t) => {
        const drop = suite.options.interrupt?.dropConnections;
        if (!drop) return t.skip('no server connection to drop');
        const user = await newUser();
        const token = await newSession(user);
        await drop();
        // The first call may fail (its connection was dead) or succeed (the driver reconnected first).
        const first = await settle(suite.adapter.getSessionAndUser(token));
        if (!first.ok) assert.ok(first.error instanceof Error, 'the failure is not an Error');
        else assert.equal(idOf((first.value as { user: AdapterUser }).user), idOf(user));
        // A pool may hold several dead connections; each is discarded on use. Bounded by attempts, not time.
        let recovered: Awaited<ReturnType<Full['getSessionAndUser']>> = null;
        for (let attempt = 0; attempt < 10 && !recovered; attempt++) {
          const next = await settle(suite.adapter.getSessionAndUser(token));
          if (next.ok) recovered = next.value;
        }
        assert.ok(recovered, 'the adapter did not recover');
        // Writes work again too, and the earlier data is whole.
        const later = await newUser();
        assert.ok(await suite.adapter.getUser(idOf(later)));
        assert.equal(idOf((await suite.adapter.getUser(idOf(user))) as AdapterUser), idOf(user));
      },
      HANG_GUARD,
    );

    check(
      'deleteUser interrupted at its last step leaves the user, sessions, accounts and passkeys intact',
      async (t) => {
        const arrange = suite.options.interrupt?.deleteUser;
        if (!arrange) return t.skip('this store cannot be interrupted half-way (or does the whole write as one command)');
        const user = await newUser();
        const linked = account(user);
        await suite.adapter.linkAccount(linked);
        const tokens = [await newSession(user), await newSession(user)];
        // A passkey where the adapter keeps them: removed in the same transaction, so it survives too.
        const passkeys = (suite.adapter as { authenticatorStore?: () => AuthenticatorStore }).authenticatorStore?.call(suite.adapter);
        const credentialID = suite.unique('interrupted-cred');
        if (passkeys) {
          const created = await passkeys.createAuthenticator({
            credentialID,
            userId: idOf(user),
            publicKey: 'pQECAyYgASFYI',
            counter: 0,
            transports: ['internal'],
            backedUp: true,
            deviceType: 'multiDevice',
            name: null,
            createdAt: new Date(),
            lastUsedAt: null,
          });
          assert.equal(created, true);
        }

        const interruption = await arrange(idOf(user));
        const outcome = settle(suite.adapter.deleteUser(idOf(user)));
        try {
          await interruption.strike();
        } catch (error) {
          // Usually deleteUser ended before it could be caught half-way: say how, or the failure is a riddle.
          const state = await Promise.race([outcome, new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending'))]);
          const how = state === 'pending' ? 'still running' : state.ok ? 'it had succeeded' : `it had failed: ${String(state.error)}`;
          await interruption.release();
          throw new Error(`${error instanceof Error ? error.message : String(error)} (deleteUser: ${how})`, { cause: error });
        }
        // Released only once deleteUser has ended: a trigger dropped too early would let it through.
        const result = await outcome;
        await interruption.release();
        assert.equal(result.ok, false, 'deleteUser reported success although it was interrupted');

        // Reads may meet the pool's other dead connections first: retry a bounded number of times.
        let intact: AdapterUser | null = null;
        for (let attempt = 0; attempt < 10 && !intact; attempt++) {
          const read = await settle(suite.adapter.getUser(idOf(user)));
          if (read.ok) intact = read.value;
        }
        assert.ok(intact, 'the user is gone after an interrupted delete');
        assert.equal(idOf((await suite.adapter.getUserByAccount(linked)) as AdapterUser), idOf(user), 'the account is gone');
        for (const token of tokens) assert.ok(await suite.adapter.getSessionAndUser(token), 'a session is gone');
        if (passkeys) assert.equal((await passkeys.getAuthenticator(credentialID))?.userId, idOf(user), 'the passkey is gone');
        if (suite.options.storage) {
          assert.equal((await suite.options.storage.sessions(idOf(user))).length, 2);
          assert.equal((await suite.options.storage.accounts(idOf(user))).length, 1);
        }
        await suite.adapter.deleteUser(idOf(user));
        assert.equal(await suite.adapter.getUser(idOf(user)), null);
        if (passkeys) assert.equal(await passkeys.getAuthenticator(credentialID), null, 'the passkey outlived the completed delete');
      },
      HANG_GUARD,
    );
  });
}
