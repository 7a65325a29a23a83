// The page the browser test serves: a React app on gatehouse-auth/react, with a sign-in form and the session status.
import { useState, version, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { getSession, SessionProvider, signIn, signOut, useSession } from '../../../src/react/index.js';

declare global {
  interface Window {
    gatehouse: { signIn: typeof signIn; signOut: typeof signOut; getSession: typeof getSession };
    /** Set once per document load: a reload changes it. */
    loadId: number;
    reactVersion: string;
  }
}

function Status(): React.ReactElement {
  const { data, status } = useSession();
  return <p id="status">{`${status}:${data?.user?.name ?? '-'}`}</p>;
}

function SignInForm(): React.ReactElement {
  const [result, setResult] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void signIn('credentials', { redirect: false, username: String(form.get('username')), password: String(form.get('password')) }).then((response) => setResult(JSON.stringify(response)));
  };
  return (
    <form onSubmit={submit}>
      <input name="username" aria-label="Username" />
      <input name="password" type="password" aria-label="Password" />
      <button type="submit">Sign in</button>
      <output id="result">{result}</output>
    </form>
  );
}

window.gatehouse = { signIn, signOut, getSession };
window.loadId = Math.random();
window.reactVersion = version;
createRoot(document.getElementById('root')!).render(
  <SessionProvider>
    <Status />
    <SignInForm />
  </SessionProvider>,
);
