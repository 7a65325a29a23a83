// Account rules with storage (v4 §6) through real OAuth sign-ins: new users, email collisions, dangerous linking, signed-in linking, refused takeovers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryAdapter } from '../../src/adapters/memory.js';
import type { AdapterAccount } from '../../src/types.js';
import { IdpBrowser } from './idp.js';
import { APP_BASE, Browser, CLIENT_SECRET, OIDC, authorizeAt, errorCode, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

describe('account linking with an adapter (database sessions)', () => {
  let rg: Rig;
  const adapter = memoryAdapter();
  const linked: AdapterAccount[] = [];
  const linkAccount = adapter.linkAccount.bind(adapter);
  adapter.linkAccount = async (account) => {
    linked.push(account);
    return linkAccount(account);
  };
  // A first sign-in writes the user and the account in one step (issue 22): record that account too.
  const createUserWithAccount = adapter.createUserWithAccount.bind(adapter);
  adapter.createUserWithAccount = async (user, account) => {
    const created = await createUserWithAccount(user, account);
    linked.push(created.account);
    return created;
  };

  before(async () => {
    rg = await rig(
      (issuer) => [
        idpProvider(issuer),
        OIDC({ id: 'other', name: 'Other', issuer, clientId: 'gatehouse-b', clientSecret: `${CLIENT_SECRET}-b` }),
        idpProvider(issuer, { id: 'linking', allowDangerousEmailAccountLinking: true }),
      ],
      { config: { adapter, session: { strategy: 'database' } } },
    );
  });
  after(() => rg.close());

  async function signIn(browser: Browser, id: string, login: string) {
    const { callback } = await authorizeAt(rg, browser, id, login);
    const response = await browser.fetch(rg.local(callback));
    return { response, code: errorCode(response.headers.get('location')) };
  }

  it('a new account creates the user, stores the account with its tokens, and a database session', async () => {
    const browser = new Browser();
    const { code } = await signIn(browser, 'idp', 'ivy');
    assert.equal(code, null);
    const user = await adapter.getUserByAccount({ provider: 'idp', providerAccountId: 'ivy' });
    assert.equal(user?.email, 'ivy@example.com');
    const account = linked.find((a) => a.providerAccountId === 'ivy')!;
    assert.equal(account.type, 'oauth');
    assert.equal(account.userId, user!.id);
    assert.ok(account.access_token && account.id_token && account.refresh_token);
    assert.equal(typeof account.expires_at, 'number');
    assert.equal(account.expires_in, undefined, 'v4 stores expires_at, not expires_in');
    const session = (await sessionOf(rg, browser)) as { user?: { email?: string } };
    assert.equal(session.user?.email, 'ivy@example.com');
  });

  it('an existing user with the same email is not linked without allowDangerousEmailAccountLinking', async () => {
    await adapter.createUser({ email: 'jack@example.com', emailVerified: null, name: 'Jack' });
    const before = linked.length;
    const browser = new Browser();
    const { code } = await signIn(browser, 'idp', 'jack');
    assert.equal(code, 'OAuthAccountNotLinked');
    assert.equal(linked.length, before);
    assert.deepEqual(await sessionOf(rg, browser), {});
  });

  it('with allowDangerousEmailAccountLinking the account is linked to the existing user', async () => {
    const existing = await adapter.createUser({ email: 'kate@example.com', emailVerified: null, name: 'Kate' });
    const browser = new Browser();
    const { code } = await signIn(browser, 'linking', 'kate');
    assert.equal(code, null);
    const user = await adapter.getUserByAccount({ provider: 'linking', providerAccountId: 'kate' });
    assert.equal(user?.id, existing.id);
  });

  it('signed in, a new account of another provider links to the signed-in user', async () => {
    const browser = new Browser();
    await signIn(browser, 'idp', 'liam');
    const liam = await adapter.getUserByAccount({ provider: 'idp', providerAccountId: 'liam' });
    const { code } = await signIn(browser, 'other', 'liam-at-other');
    assert.equal(code, null);
    const viaOther = await adapter.getUserByAccount({ provider: 'other', providerAccountId: 'liam-at-other' });
    assert.equal(viaOther?.id, liam!.id);
  });

  it('signed in as one user, an account already linked to another user is refused', async () => {
    const owner = new Browser();
    await signIn(owner, 'idp', 'mia');
    const intruder = new Browser();
    await signIn(intruder, 'idp', 'noah');
    const before = linked.length;
    const { code } = await signIn(intruder, 'idp', 'mia');
    assert.equal(code, 'OAuthAccountNotLinked');
    assert.equal(linked.length, before);
    const noah = (await sessionOf(rg, intruder)) as { user?: { email?: string } };
    assert.equal(noah.user?.email, 'noah@example.com', 'still signed in as before');
  });

  it('advisory #12 with linking: provider B code delivered with provider A state links nothing to the victim', async () => {
    const victim = new Browser();
    await signIn(victim, 'idp', 'olga');
    const olga = await adapter.getUserByAccount({ provider: 'idp', providerAccountId: 'olga' });
    const { url } = await startSignIn(rg, victim, 'idp');
    const a = new URL(url).searchParams;
    const attacker = new URL(`${rg.idp.issuer}/auth`);
    attacker.search = new URLSearchParams({
      client_id: 'gatehouse-b',
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: `${APP_BASE}/callback/other`,
      state: a.get('state')!,
      nonce: a.get('nonce')!,
      code_challenge: a.get('code_challenge')!,
      code_challenge_method: 'S256',
    }).toString();
    const { location } = await new IdpBrowser().authorize(attacker.href, 'mallory', `${APP_BASE}/callback/`);
    const before = linked.length;
    const response = await victim.fetch(rg.local(location!));
    assert.equal(errorCode(response.headers.get('location')), 'OAuthCallback');
    assert.equal(linked.length, before, 'no linkAccount');
    assert.equal(await adapter.getUserByAccount({ provider: 'other', providerAccountId: 'mallory' }), null);
    const still = (await sessionOf(rg, victim)) as { user?: { email?: string } };
    assert.equal(still.user?.email, 'olga@example.com');
    assert.ok(olga);
  });
});
