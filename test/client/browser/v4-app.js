// The same page on next-auth v4's own client (next-auth/react), for the mixed-tabs test. Plain JS: its types live in test/peers.
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider, signIn, signOut, useSession } from 'next-auth/react';

function Status() {
  const { data, status } = useSession();
  return h('p', { id: 'status' }, `${status}:${data?.user?.name ?? '-'}`);
}

window.nextauth = { signIn, signOut };
window.loadId = Math.random();
createRoot(document.getElementById('root')).render(h(SessionProvider, null, h(Status)));
