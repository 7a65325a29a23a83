// The root layout: every page gets the session context.
import type { ReactNode } from 'react';
import { Providers } from './providers';

export const metadata = { title: 'next-auth v5 example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '3rem auto', padding: '0 1rem' }}>
        <Providers>
          <nav style={{ display: 'flex', gap: '1rem' }}>
            <a href="/">Home</a>
            <a href="/dashboard">Dashboard</a>
            <a href="/api/me">/api/me</a>
          </nav>
          {children}
        </Providers>
      </body>
    </html>
  );
}
