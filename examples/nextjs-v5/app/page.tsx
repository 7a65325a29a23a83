// Home: the session read on the server with auth(), beside the one the client sees, and a server action that signs out.
import { auth, signOut } from '@/auth';
import { ClientSession } from './components/client-session';

export default async function Home() {
  const session = await auth();
  return (
    <main>
      <h1>next-auth v5 example</h1>
      <p data-testid="server-status">
        Server: {session?.user ? <>signed in as <strong data-testid="server-email">{session.user.email}</strong></> : 'signed out'}
      </p>
      <ClientSession />
      {session?.user ? (
        <form
          action={async () => {
            'use server';
            await signOut({ redirectTo: '/' });
          }}
        >
          <button type="submit">Sign out</button>
        </form>
      ) : (
        <p>
          <a href="/login">Sign in</a>
        </p>
      )}
    </main>
  );
}
