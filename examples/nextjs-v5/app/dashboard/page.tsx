// A page the middleware guards: only signed-in visitors get here.
import { auth } from '@/auth';

export default async function Dashboard() {
  const session = await auth();
  return (
    <main>
      <h1>Dashboard</h1>
      <p data-testid="dashboard-user">{session?.user?.name}</p>
    </main>
  );
}
