// A first OAuth sign-in is several writes: no one is locked out when it breaks between them (issue 22 item 1), through real
// sign-ins at oidc-provider — gatehouse's adapters in one step, a third-party adapter repaired on the next attempt.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryAdapter } from '../../src/adapters/memory.js';
import type { Adapter, AdapterAccount } from '../../src/types.js';
import { Browser, authorizeAt, errorCode, idpProvider, rig, sessionOf, type Rig } from './setup.js';

/** Fails the next `count` calls of `method`, as a crash or a lost connection at that point would. */
function failing(target: Record<string, unknown>, method: string) {
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  let left = 0;
  target[method] = async (...args: unknown[]) => {
    if (left > 0) {
      left -= 1;
      throw new Error(`${method} failed (injected)`);
    }
    return original(...args);
  };
  return { failNext: (count = 1) => void (left = count) };
}

async function signIn(rg: Rig, login: string): Promise<{ code: string | null; email: string | null }> {
  const browser = new Browser();
  const { callback } = await authorizeAt(rg, browser, 'idp', login);
  const response = await browser.fetch(rg.local(callback));
  const code = errorCode(response.headers.get('location'));
  const session = (await sessionOf(rg, browser)) as { user?: { email?: string } };
  return { code, email: session.user?.email ?? null };
}

describe('first sign-ins that break between writes: a third-party adapter (one write per call)', () => {
  let rg: Rig;
  const store = memoryAdapter();
  // What an @auth adapter offers: the NextAuth methods, no createUserWithAccount.
  const adapter = { ...store, createUserWithAccount: undefined } as unknown as Adapter & Record<string, unknown>;
  for (const [name, value] of Object.entries(store)) if (typeof value === 'function' && name !== 'createUserWithAccount') adapter[name] = value.bind(store);
  const linkAccount = failing(adapter, 'linkAccount');
  const deleteUser = failing(adapter, 'deleteUser');

  before(async () => {
    rg = await rig((issuer) => [idpProvider(issuer)], { config: { adapter, session: { strategy: 'database' } } });
  });
  after(() => rg.close());

  it('linkAccount fails: the new user is removed again, and the next attempt signs in', async () => {
    linkAccount.failNext();
    assert.notEqual((await signIn(rg, 'lena')).code, null, 'the first attempt fails');
    assert.equal(await store.getUserByEmail('lena@example.com'), null, 'no user left without its account');
    assert.deepEqual(await signIn(rg, 'lena'), { code: null, email: 'lena@example.com' });
    assert.ok(await store.getUserByAccount({ provider: 'idp', providerAccountId: 'lena' }));
  });

  it('the process "dies" between the writes (linkAccount and the undo both fail): the next attempt completes that user', async () => {
    linkAccount.failNext();
    deleteUser.failNext();
    assert.notEqual((await signIn(rg, 'milo')).code, null);
    const orphan = await store.getUserByEmail('milo@example.com');
    assert.ok(orphan, 'a user without an account was left, as after a crash');
    assert.equal(await store.getUserByAccount({ provider: 'idp', providerAccountId: 'milo' }), null);
    assert.deepEqual(await signIn(rg, 'milo'), { code: null, email: 'milo@example.com' }, 'not OAuthAccountNotLinked');
    assert.equal((await store.getUserByAccount({ provider: 'idp', providerAccountId: 'milo' }))?.id, orphan.id, 'the same user, completed');
  });

  it('an unverified user with the same email that this flow did not create is still not linked (no takeover)', async () => {
    await store.createUser({ email: 'nora@example.com', emailVerified: null, name: 'Nora' });
    assert.equal((await signIn(rg, 'nora')).code, 'OAuthAccountNotLinked');
    assert.equal(await store.getUserByAccount({ provider: 'idp', providerAccountId: 'nora' }), null);
  });
});

describe('first sign-ins that break: gatehouse adapters write the user and the account in one step', () => {
  let rg: Rig;
  const adapter = memoryAdapter();
  const linked: AdapterAccount[] = [];
  const create = failing(adapter as unknown as Record<string, unknown>, 'createUserWithAccount');
  const linkAccount = adapter.linkAccount.bind(adapter);
  adapter.linkAccount = async (account) => {
    linked.push(account);
    return linkAccount(account);
  };

  before(async () => {
    rg = await rig((issuer) => [idpProvider(issuer)], { config: { adapter, session: { strategy: 'database' } } });
  });
  after(() => rg.close());

  it('the one write fails: nothing is left, the next attempt signs in; linkAccount is never called separately', async () => {
    create.failNext();
    assert.equal((await signIn(rg, 'olga')).code, 'OAuthCreateAccount');
    assert.equal(await adapter.getUserByEmail('olga@example.com'), null);
    assert.deepEqual(await signIn(rg, 'olga'), { code: null, email: 'olga@example.com' });
    assert.ok(await adapter.getUserByAccount({ provider: 'idp', providerAccountId: 'olga' }));
    assert.equal(linked.length, 0, 'user and account came from createUserWithAccount');
  });
});
