// Home: the session read on the server (getServerSession) beside the one the client sees.
import { getServerSession } from 'gatehouse-auth/next';
import { authOptions } from '@/lib/auth';
import { ClientSession } from './components/client-session';

export default async function Home() {
  const session = await getServerSession(authOptions);
  return (
    <main>
      <h1>next-auth example</h1>
      <p data-testid="server-status">
        Server: {session ? <>signed in as <strong data-testid="server-email">{session.user?.email}</strong></> : 'signed out'}
      </p>
      <ClientSession />
    </main>
  );
}
