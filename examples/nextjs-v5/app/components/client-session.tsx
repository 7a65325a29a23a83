'use client';
// The session as the browser sees it (useSession).
import { useSession } from 'gatehouse-auth/react';

export function ClientSession() {
  const { data: session, status } = useSession();
  if (status === 'loading') return <p data-testid="client-status">loading</p>;
  return (
    <p data-testid="client-status">
      {session?.user ? <>Client: signed in as <strong data-testid="client-email">{session.user.email}</strong></> : 'Client: signed out'}
    </p>
  );
}
