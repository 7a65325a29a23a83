// Step-up data over HTTP: the session records when and how the user authenticated (auth_time, amr), for JWT and database sessions on the memory and SQLite adapters, and auth.requireRecentAuth checks maxAge and factors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { hashSessionToken, sessionIdForHandle } from '../../src/core/session-token.js';
import { decode } from '../../src/jwt.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, answerUrl, codeOf, enrolTotp, recentAuth, secondStep, SESSION, sessionEmail, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

const DAY = 86_400_000;

for (const [adapterName, makeAdapter] of Object.entries(ADAPTERS)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`step-up data (${strategy} sessions, ${adapterName})`, () => {
      let db: TempAdapter<GatehouseAdapter>;
      let adapter: GatehouseAdapter;
      let server: TestServer;
      let base: string;
      const users = new Map<string, AdapterUser>();

      before(async () => {
        db = await tempAdapter('gatehouse-step-up-', makeAdapter);
        adapter = db.adapter;
        server = await twoFactorServer({
          adapter,
          strategy,
          users,
          // An app's jwt callback that rebuilds the token from scratch: gatehouse's claims survive it.
          config: { callbacks: { jwt: ({ token }) => ({ sub: token.sub, email: token.email, name: token.name }) } },
        });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await db.dispose();
      });

      const newUser = (name: string) => addUser(adapter, users, `${name}-${strategy}@example.com`, name);
      const signIn = async (browser: Browser, email: string) => {
        const response = await browser.signInWithCredentials(base, { email, password: 'pw' });
        assert.equal(response.status, 200);
        return answerUrl(response);
      };
      const recent = (browser: Browser, options: Parameters<typeof recentAuth>[2]) => recentAuth(server, browser, options);

      /** What storage holds for the browser's session: the JWT's claims, or the database session's record beside the index. */
      async function stored(browser: Browser): Promise<{ authTime: unknown; amr: unknown }> {
        const cookie = browser.jar.get(SESSION)!;
        if (strategy === 'jwt') {
          const token = (await decode({ token: cookie, secret: SECRET }))!;
          return { authTime: token.auth_time, amr: token.amr };
        }
        const raw = await adapter.leaseStore!().get(`step-up:${sessionIdForHandle(hashSessionToken(cookie))}`);
        assert.ok(raw, 'a database session keeps its authentication in the lease store');
        const parsed = JSON.parse(raw) as { t: unknown; amr: unknown };
        return { authTime: parsed.t, amr: parsed.amr };
      }

      test('a password sign-in is recorded as pwd at the sign-in time; factors it lacks are StepUpRequired', async () => {
        const user = await newUser('ann');
        const browser = new Browser();
        const before = Math.floor(Date.now() / 1000);
        await signIn(browser, user.email);
        const data = await stored(browser);
        assert.deepEqual(data.amr, ['pwd']);
        assert.ok(typeof data.authTime === 'number' && data.authTime >= before && data.authTime <= Math.floor(Date.now() / 1000));

        const ok = await recent(browser, { maxAge: 300 });
        assert.equal(ok.ok, true);
        assert.deepEqual(ok.ok && ok.amr, ['pwd']);
        assert.equal(ok.ok && ok.signedInAt.valueOf(), (data.authTime as number) * 1000);
        assert.equal((await recent(browser, { maxAge: 300, factors: ['pwd'] })).ok, true);
        for (const factors of [['otp'], ['mfa'], 2] as const) {
          const refused = await recent(browser, { maxAge: 300, factors });
          assert.equal(refused.ok === false && refused.error, 'StepUpRequired', `factors ${JSON.stringify(factors)}`);
        }
        await assert.rejects(recent(browser, { maxAge: 300, factors: 3 }), TypeError);
        await assert.rejects(recent(browser, { maxAge: 300, factors: ['email' as 'otp'] }), TypeError);

        // The session callback shapes GET `session`: v4's fields only, unless the app adds these.
        const session = (await (await browser.fetch(`${base}/session`)).json()) as Record<string, unknown>;
        assert.deepEqual(Object.keys(session).sort(), ['expires', 'user']);
      });

      test('the claims survive a re-issued session; ten minutes later maxAge 300 is RecentSignInRequired', async () => {
        const user = await newUser('bob');
        const browser = new Browser();
        await signIn(browser, user.email);
        const first = await stored(browser);
        await later(600_000, async () => {
          const stale = await recent(browser, { maxAge: 300 });
          assert.equal(stale.ok === false && stale.error, 'RecentSignInRequired');
          assert.equal((await recent(browser, { maxAge: 900 })).ok, true);
        });
        await later(25 * 3600_000, async () => {
          // Past updateAge (a day) a read re-issues the JWT (or extends the row); the app's rebuilt token keeps the claims.
          const before = browser.jar.get(SESSION);
          assert.equal(((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email, user.email);
          if (strategy === 'jwt') assert.notEqual(browser.jar.get(SESSION), before, 're-issued');
          assert.deepEqual(await stored(browser), first);
          assert.equal((await recent(browser, { maxAge: 26 * 3600 })).ok, true);
        });
        assert.deepEqual(await recent(new Browser(), { maxAge: 300 }), { ok: false, error: 'SessionRequired' });
      });

      test('password then TOTP is pwd+otp+mfa: two factors, and ["otp"] is satisfied', async () => {
        const user = await newUser('cat');
        const enrolling = new Browser();
        await signIn(enrolling, user.email);
        const { secret } = await enrolTotp(enrolling, base);

        const browser = new Browser();
        assert.equal((await signIn(browser, user.email)).searchParams.get('error'), 'TwoFactorRequired');
        assert.equal(browser.jar.get(SESSION), undefined);
        assert.equal((await secondStep(browser, base, { code: codeOf(secret, 1) })).searchParams.get('error'), null);
        assert.deepEqual((await stored(browser)).amr, ['pwd', 'otp', 'mfa']);
        for (const factors of [['otp'], ['pwd', 'otp'], ['mfa'], 2, 1] as const) assert.equal((await recent(browser, { maxAge: 300, factors })).ok, true, `factors ${JSON.stringify(factors)}`);
      });

      test('a session extended on use outlives its first maxAge with its record: auth_time and amr as at the sign-in', async () => {
        const user = await newUser('dot');
        const enrolling = new Browser();
        await signIn(enrolling, user.email);
        const { secret } = await enrolTotp(enrolling, base);
        const browser = new Browser();
        await signIn(browser, user.email);
        assert.equal((await secondStep(browser, base, { code: codeOf(secret, 1) })).searchParams.get('error'), null);
        const first = await stored(browser);
        // Day 25: past updateAge (a day) a view extends the session (re-issues the JWT) to day 55.
        await later(25 * DAY, async () => assert.equal(await sessionEmail(browser, base), user.email));
        // Day 35: past the 30 days the record was first written for, the session and its record live on.
        await later(35 * DAY, async () => {
          assert.equal(await sessionEmail(browser, base), user.email);
          assert.deepEqual(await stored(browser), first);
          const auth = await recent(browser, { maxAge: 40 * 86400, factors: ['mfa'] });
          assert.deepEqual(auth.ok && auth.amr, ['pwd', 'otp', 'mfa']);
          assert.equal(auth.ok && auth.signedInAt.valueOf(), (first.authTime as number) * 1000);
        });
      });
    });
  }
}

describe('the session route and the step-up record (database sessions, SQLite)', () => {
  test('a page view reads nothing of it; the extension (once per updateAge) moves its expiry in one write', async () => {
    const db = await tempAdapter('gatehouse-step-up-io-', ADAPTERS.SQLite);
    const calls: string[] = [];
    const leases = db.adapter.leaseStore();
    // Every lease-store call on a step-up key, by method name.
    const counted = new Proxy(leases, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        return (key: string, ...rest: unknown[]) => {
          if (key.startsWith('step-up:')) calls.push(String(property));
          return (value as (...args: unknown[]) => unknown).call(target, key, ...rest);
        };
      },
    });
    const users = new Map<string, AdapterUser>();
    const server = await twoFactorServer({ adapter: { ...db.adapter, leaseStore: () => counted }, strategy: 'database', users });
    try {
      const user = await addUser(db.adapter, users, 'io@example.com', 'Io');
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { email: user.email, password: 'pw' });
      assert.deepEqual(calls.splice(0), ['set'], 'written once at sign-in');
      for (let i = 0; i < 3; i++) assert.equal(await sessionEmail(browser, server.base), user.email);
      assert.deepEqual(calls.splice(0), [], 'page views touch no step-up record');
      await later(2 * DAY, async () => {
        for (let i = 0; i < 3; i++) assert.equal(await sessionEmail(browser, server.base), user.email);
        assert.deepEqual(calls.splice(0), ['extend'], 'one extension, with the session’s own');
        assert.equal((await recentAuth(server, browser, { maxAge: 3 * 86400 })).ok, true);
        assert.deepEqual(calls.splice(0), ['get'], 'read by the step-up check alone');
      });
    } finally {
      await server.close();
      await db.dispose();
    }
  });
});
