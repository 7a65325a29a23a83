'use client';
// The client session context for useSession.
import type { ReactNode } from 'react';
import { SessionProvider } from 'gatehouse-auth/react';

export function Providers({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}
