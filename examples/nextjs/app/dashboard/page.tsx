// A page the middleware guards: only signed-in visitors get here.
import { getServerSession } from 'gatehouse-auth/next';
import { authOptions } from '@/lib/auth';

export default async function Dashboard() {
  const session = await getServerSession(authOptions);
  return (
    <main>
      <h1>Dashboard</h1>
      <p data-testid="dashboard-user">{session?.user?.name}</p>
    </main>
  );
}
