// gatehouse-auth/react in happy-dom with Testing Library against gatehouse and next-auth v4 servers: hook states, update, required, polling, focus, offline, tabs.
import { closeDom, freshTab, lastMessage, until } from './helpers/dom.js';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it, type TestContext } from 'node:test';
import { StrictMode, useState } from 'react';
import { configure, SessionProvider, signIn, signOut, useSession, type SessionProviderProps, type UseSessionOptions } from '../../src/react/index.js';
import { PASSWORD, SERVER_KINDS, startServer, USER, type RemoteServer } from './helpers/remote.js';

after(closeDom);

function Show({ id = 'a', options }: { id?: string; options?: UseSessionOptions<boolean> }): React.ReactElement {
  const { data, status } = useSession(options);
  return <p data-testid={id}>{`${status}:${data?.user?.name ?? '-'}`}</p>;
}

function Updater(): React.ReactElement {
  const { update } = useSession();
  const [result, setResult] = useState('none');
  return (
    <button data-testid="update" onClick={() => void update({ name: 'Bob' }).then((session) => setResult(session === undefined ? 'undefined' : String(session?.user?.name)))}>
      {result}
    </button>
  );
}

const text = (id = 'a'): string | null => screen.getByTestId(id).textContent;
const shown = (id: string, expected: string): Promise<void> => waitFor(() => assert.equal(text(id), expected));

function app(props: Omit<SessionProviderProps, 'children'> = {}, ...ids: string[]): React.ReactElement {
  return (
    <SessionProvider {...props}>
      {(ids.length ? ids : ['a']).map((id) => (
        <Show key={id} id={id} />
      ))}
    </SessionProvider>
  );
}

/** Records the provider's poll timers, so tests can tell whether one runs without waiting for it. */
function pollTimers(t: TestContext, delay: number): { active: () => number; tick: () => void } {
  const live = new Map<unknown, () => void>();
  const set = globalThis.setInterval;
  const clear = globalThis.clearInterval;
  t.mock.method(globalThis, 'setInterval', (callback: () => void, ms: number) => {
    const id = set(callback, ms);
    if (ms === delay) live.set(id, callback);
    return id;
  });
  t.mock.method(globalThis, 'clearInterval', (id: ReturnType<typeof setInterval>) => {
    live.delete(id);
    clear(id);
  });
  return { active: () => live.size, tick: () => live.forEach((callback) => callback()) };
}

for (const kind of SERVER_KINDS) {
  describe(`gatehouse-auth/react against ${kind}`, () => {
    let server: RemoteServer;
    before(async () => (server = await startServer(kind)));
    after(() => server.close());
    beforeEach(async () => {
      configure({ basePath: undefined, baseUrl: undefined });
      await server.heal();
      await freshTab(server);
      await server.clearRequests();
    });
    afterEach(cleanup);

    const signInAsAnn = async (): Promise<void> => {
      assert.equal((await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD }))?.ok, true);
      await server.clearRequests();
      localStorage.clear();
    };

    it('loading, then unauthenticated: one GET session, and the page load tells the other tabs', async () => {
      render(app());
      assert.equal(text(), 'loading:-');
      await shown('a', 'unauthenticated:-');
      assert.deepEqual(await server.log(), ['GET session']);
      assert.deepEqual(lastMessage()?.data, { trigger: 'getSession' });
    });

    it('loading, then authenticated with the session the server sends', async () => {
      await signInAsAnn();
      render(app());
      await shown('a', `authenticated:${USER.name}`);
    });

    it('many hooks under several providers share one request', async () => {
      await signInAsAnn();
      render(
        <>
          {app({}, 'a1', 'a2', 'a3', 'a4')}
          {app({}, 'b1', 'b2', 'b3')}
        </>,
      );
      for (const id of ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3']) await shown(id, `authenticated:${USER.name}`);
      assert.deepEqual(await server.log(), ['GET session']);
    });

    it('StrictMode mounts twice and still settles on the session', async () => {
      await signInAsAnn();
      render(<StrictMode>{app()}</StrictMode>);
      await shown('a', `authenticated:${USER.name}`);
      assert.ok((await server.count('GET session')) <= 2);
    });

    it('a server-rendered `session` prop: no loading state and no request; `null` means signed out', async () => {
      const session = { user: { name: 'Server' }, expires: new Date(Date.now() + 60_000).toISOString() };
      const { unmount } = render(app({ session }));
      assert.equal(text(), 'authenticated:Server');
      unmount();
      render(app({ session: null }));
      assert.equal(text(), 'unauthenticated:-');
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.deepEqual(await server.log(), []);
    });

    it('update(data) POSTs session as JSON { csrfToken, data }; every hook, under every provider, sees the result', async () => {
      await signInAsAnn();
      render(
        <>
          <SessionProvider>
            <Show id="a" />
            <Updater />
          </SessionProvider>
          {app({}, 'b')}
        </>,
      );
      await shown('a', `authenticated:${USER.name}`);
      await shown('b', `authenticated:${USER.name}`);
      localStorage.clear();
      act(() => screen.getByTestId('update').click());
      assert.equal(text('a'), `loading:${USER.name}`, 'as v4: loading while updating, the old session still in data');
      await shown('update', 'Bob');
      assert.equal(text('a'), 'authenticated:Bob');
      assert.equal(text('b'), 'authenticated:Bob');
      const posted = (await server.requests()).find((r) => r.method === 'POST')!;
      assert.equal(posted.action, 'session');
      assert.equal(posted.contentType, 'application/json');
      const body = JSON.parse(posted.body) as { csrfToken: string; data: unknown };
      assert.match(body.csrfToken, /^[0-9a-f]{64}$/);
      assert.deepEqual(body, { csrfToken: body.csrfToken, data: { name: 'Bob' } });
      assert.deepEqual(lastMessage()?.data, { trigger: 'getSession' }, 'the other tabs refetch');
    });

    it('update() while signed out resolves undefined and sends nothing', async () => {
      render(
        <SessionProvider>
          <Updater />
        </SessionProvider>,
      );
      await until('the first fetch', async () => (await server.count('GET session')) === 1);
      await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
      act(() => screen.getByTestId('update').click());
      await shown('update', 'undefined');
      assert.deepEqual(await server.log(), ['GET session']);
    });

    it('required: a signed-out user reads `loading` and is sent to the sign-in page with SessionRequired', async () => {
      const page = location.href;
      render(
        <SessionProvider>
          <Show options={{ required: true }} />
        </SessionProvider>,
      );
      await waitFor(() => assert.notEqual(location.href, page));
      assert.equal(location.href, `${server.origin}/api/auth/signin?error=SessionRequired&callbackUrl=${encodeURIComponent(page)}`);
      assert.equal(text(), 'loading:-');
    });

    it('required honours basePath (v4 always sent users to /api/auth/signin)', async () => {
      const page = location.href;
      render(
        <SessionProvider basePath="/custom/auth" session={null}>
          <Show options={{ required: true }} />
        </SessionProvider>,
      );
      await waitFor(() => assert.notEqual(location.href, page));
      assert.equal(location.href, `${server.origin}/custom/auth/signin?error=SessionRequired&callbackUrl=${encodeURIComponent(page)}`);
    });

    it('required with onUnauthenticated calls it instead of redirecting; a signed-in user is unaffected', async () => {
      let called = 0;
      const onUnauthenticated = (): void => void called++;
      const { unmount } = render(
        <SessionProvider>
          <Show options={{ required: true, onUnauthenticated }} />
        </SessionProvider>,
      );
      await waitFor(() => assert.equal(called, 1));
      assert.equal(text(), 'loading:-');
      assert.equal(location.href, `${server.origin}/app/page`);
      unmount();
      await signInAsAnn();
      render(
        <SessionProvider>
          <Show options={{ required: true, onUnauthenticated }} />
        </SessionProvider>,
      );
      await shown('a', `authenticated:${USER.name}`);
      assert.equal(called, 1);
    });

    it('signIn and signOut with redirect: false update every hook before they resolve', async () => {
      render(app({}, 'a', 'b'));
      await shown('a', 'unauthenticated:-');
      await act(async () => void (await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD })));
      assert.equal(text('a'), `authenticated:${USER.name}`);
      assert.equal(text('b'), `authenticated:${USER.name}`);
      await act(async () => void (await signOut({ redirect: false })));
      assert.equal(text('a'), 'unauthenticated:-');
      assert.equal(text('b'), 'unauthenticated:-');
    });

    it('refetchInterval polls while signed in (real timers)', async () => {
      await signInAsAnn();
      render(app({ refetchInterval: 0.03 }));
      await shown('a', `authenticated:${USER.name}`);
      await until('three polls', async () => (await server.count('GET session')) >= 4);
    });

    it('refetchInterval: each tick fetches while signed in, nothing while signed out (as v4)', async (t) => {
      const timers = pollTimers(t, 60_000);
      render(app({ refetchInterval: 60 }));
      await shown('a', 'unauthenticated:-');
      assert.equal(timers.active(), 1);
      await act(async () => timers.tick());
      assert.deepEqual(await server.log(), ['GET session'], 'a signed-out tab does not poll');
      await act(async () => void (await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD })));
      await server.clearRequests();
      await act(async () => timers.tick());
      await until('the poll', async () => (await server.count('GET session')) === 1);
    });

    it('refetchWhenOffline={false}: no poll timer while offline, back when online', async (t) => {
      const timers = pollTimers(t, 60_000);
      await signInAsAnn();
      render(app({ refetchInterval: 60, refetchWhenOffline: false }));
      await shown('a', `authenticated:${USER.name}`);
      assert.equal(timers.active(), 1);
      const online = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(navigator), 'onLine');
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      try {
        act(() => void window.dispatchEvent(new Event('offline')));
        assert.equal(timers.active(), 0);
        act(() => void window.dispatchEvent(new Event('online')));
        assert.equal(timers.active(), 1);
      } finally {
        delete (navigator as { onLine?: boolean }).onLine;
        assert.ok(online);
      }
    });

    it('polling by default continues offline (v4), and a failed refetch keeps the session shown', async (t) => {
      const timers = pollTimers(t, 60_000);
      t.mock.method(console, 'error', () => {});
      await signInAsAnn();
      render(app({ refetchInterval: 60 }));
      await shown('a', `authenticated:${USER.name}`);
      act(() => void window.dispatchEvent(new Event('offline')));
      assert.equal(timers.active(), 1);
      await server.fail('session', 503, '');
      await server.clearRequests();
      await act(async () => timers.tick());
      await until('the failed poll', async () => (await server.count('GET session')) === 1);
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.equal(text(), `authenticated:${USER.name}`, 'a network blip is not a sign-out');
    });

    it('a session that ended elsewhere: the next poll shows it and tells the other tabs', async (t) => {
      const timers = pollTimers(t, 60_000);
      await signInAsAnn();
      render(app({ refetchInterval: 60 }));
      await shown('a', `authenticated:${USER.name}`);
      localStorage.clear();
      await fetch('/__clear');
      await act(async () => timers.tick());
      await shown('a', 'unauthenticated:-');
      assert.deepEqual(lastMessage()?.data, { trigger: 'getSession' });
    });

    it('the tab becoming visible refetches a signed-in session once, and tells nobody when nothing changed', async () => {
      await signInAsAnn();
      render(app({}, 'a', 'b'));
      await shown('a', `authenticated:${USER.name}`);
      await server.clearRequests();
      localStorage.clear();
      await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
      await until('the refetch', async () => (await server.count('GET session')) === 1);
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.deepEqual(await server.log(), ['GET session']);
      assert.equal(lastMessage(), null, 'no broadcast, so no refetch storm in the other tabs');
    });

    it('a signed-out tab does not refetch on focus; refetchOnWindowFocus={false} turns it off', async () => {
      const { unmount } = render(app());
      await shown('a', 'unauthenticated:-');
      await server.clearRequests();
      await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
      unmount();
      await signInAsAnn();
      render(app({ refetchOnWindowFocus: false }));
      await shown('a', `authenticated:${USER.name}`);
      await server.clearRequests();
      await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.deepEqual(await server.log(), []);
    });

    it('another tab: a v4 `nextauth.message` storage event, or a BroadcastChannel message, refetches without answering', async () => {
      // Signed in behind this page's back (as in another tab): the page, rendered signed out, learns it only from a message.
      await signInAsAnn();
      render(app({ session: null }));
      assert.equal(text(), 'unauthenticated:-');
      // A v4 tab signed in: it wrote localStorage, which this tab sees as a storage event.
      const v4message = JSON.stringify({ event: 'session', data: { trigger: 'getSession' }, timestamp: Math.floor(Date.now() / 1000) });
      act(() => void window.dispatchEvent(new StorageEvent('storage', { key: 'nextauth.message', newValue: v4message })));
      await shown('a', `authenticated:${USER.name}`);
      assert.deepEqual(await server.log(), ['GET session']);
      assert.equal(lastMessage(), null, 'a refetch another tab asked for is not re-broadcast');
      // A gatehouse (or Auth.js v5) tab signs out: the channel carries it, and its flagged storage copy is skipped.
      await fetch('/__clear');
      const other = new BroadcastChannel('next-auth');
      other.postMessage({ event: 'session', data: { trigger: 'signout' } });
      other.close();
      act(() => void window.dispatchEvent(new StorageEvent('storage', { key: 'nextauth.message', newValue: JSON.stringify({ ...JSON.parse(v4message), bc: 1 }) })));
      await shown('a', 'unauthenticated:-');
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.deepEqual(await server.log(), ['GET session', 'GET session']);
      // Unrelated keys, malformed values and other events are ignored.
      for (const [key, newValue] of [
        ['other', v4message],
        ['nextauth.message', '{nope'],
        ['nextauth.message', '{"event":"other","data":{}}'],
        ['nextauth.message', null],
      ] as const) {
        act(() => void window.dispatchEvent(new StorageEvent('storage', { key, newValue })));
      }
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      assert.equal(await server.count('GET session'), 2);
    });

    it('a burst of messages from other tabs costs at most two requests (one running, one queued)', async () => {
      await signInAsAnn();
      render(app());
      await shown('a', `authenticated:${USER.name}`);
      await server.clearRequests();
      const message = JSON.stringify({ event: 'session', data: { trigger: 'getSession' }, timestamp: 1 });
      act(() => {
        for (let i = 0; i < 20; i++) window.dispatchEvent(new StorageEvent('storage', { key: 'nextauth.message', newValue: message }));
      });
      await until('the refetch', async () => (await server.count('GET session')) >= 1);
      await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
      assert.equal(await server.count('GET session'), 2);
    });

    it('useSession outside a SessionProvider throws', (t) => {
      t.mock.method(console, 'error', () => {});
      assert.throws(() => render(<Show />), /must be wrapped in a <SessionProvider \/>/);
    });

    it('useSession outside a SessionProvider: v4’s exact message, which apps’ tests match', (t) => {
      t.mock.method(console, 'error', () => {});
      assert.throws(() => render(<Show />), { message: '[next-auth]: `useSession` must be wrapped in a <SessionProvider />' });
    });

    it('refetchInterval with a server-rendered session: no fetch at first, then each tick its own request, as v4 (issue 14)', async (t) => {
      const timers = pollTimers(t, 60_000);
      await signInAsAnn();
      const session = { user: { name: USER.name }, expires: new Date(Date.now() + 60_000).toISOString() };
      render(app({ session, refetchInterval: 60 }));
      assert.equal(text(), `authenticated:${USER.name}`);
      assert.deepEqual(await server.log(), [], 'the given session is used as it is');
      // Two ticks before the first answer: v4 sends two requests; a poll does not wait for the last one.
      await act(async () => {
        timers.tick();
        timers.tick();
      });
      await until('two polls', async () => (await server.count('GET session')) === 2);
      await shown('a', `authenticated:${USER.name}`);
    });
  });
}
