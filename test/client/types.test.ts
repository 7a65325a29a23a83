// Compile-time checks of the client and React types (the type check fails if they loosen); at run time only that they load.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SignInResponse } from '../../src/client/index.js';
import { signIn, signOut, useSession, type Session } from '../../src/react/index.js';

interface AppSession extends Session {
  user: { id: string; name: string; email: string };
}

// Never called: hooks cannot run outside a component; the compiler checks the bodies.
export function typeChecks(): void {
  const optional = useSession();
  if (optional.status === 'authenticated') {
    const expires: string = optional.data.expires;
    void expires;
  }
  if (optional.status === 'unauthenticated') {
    const none: null = optional.data;
    void none;
  }
  if (optional.status === 'loading') {
    // @ts-expect-error while loading there may be no session yet
    const session: Session = optional.data;
    void session;
  }

  const required = useSession({ required: true });
  // @ts-expect-error a required session is never reported as unauthenticated
  if (required.status === 'unauthenticated') return;

  const typed = useSession<false, AppSession>();
  if (typed.status === 'authenticated') {
    const id: string = typed.data.user.id;
    void id;
  }
  void typed.update({ name: 'Bob' }).then((next) => next?.user.name);

  void signIn('credentials', { redirect: false, username: 'ann' }).then((result: SignInResponse | null | undefined) => result?.error);
  // @ts-expect-error authorization params are strings
  void signIn('github', undefined, { prompt: 1 });
  void signOut({ callbackUrl: '/', redirect: false }).then((result) => result?.url);
  // @ts-expect-error signOut takes no provider
  void signOut('github');
}

it('the client and React modules load and export functions', () => {
  for (const fn of [signIn, signOut, useSession]) assert.equal(typeof fn, 'function');
});
