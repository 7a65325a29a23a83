'use client';
// The session as the browser sees it (useSession), with sign-in and sign-out buttons.
import { signIn, signOut, useSession } from 'gatehouse-auth/react';
import { useState, type FormEvent } from 'react';

export function ClientSession() {
  const { data: session, status } = useSession();
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await signIn('credentials', { email: String(form.get('email')), password: String(form.get('password')), redirect: false });
    if (result?.error) setError('Wrong email or password.');
    else window.location.reload();
  }

  if (status === 'loading') return <p data-testid="client-status">loading</p>;
  if (session) {
    return (
      <section>
        <p data-testid="client-status">
          Client: signed in as <strong data-testid="client-email">{session.user?.email}</strong>
        </p>
        <button onClick={() => signOut({ callbackUrl: '/' })}>Sign out</button>
      </section>
    );
  }
  return (
    <section>
      <p data-testid="client-status">Client: signed out</p>
      <form onSubmit={onSubmit}>
        <input name="email" type="email" placeholder="ann@example.com" aria-label="Email" required />
        <input name="password" type="password" placeholder="ann" aria-label="Password" required />
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert">{error}</p>}
      <p>
        <button onClick={() => signIn()}>All sign-in options</button>
      </p>
    </section>
  );
}
