// A Pages Router API route reading the session with getServerSession(req, res, options).
import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'gatehouse-auth/next';
import { authOptions } from '@/lib/auth';

export default async function me(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).json({ error: 'not signed in' });
  res.json({ email: session.user?.email ?? null, name: session.user?.name ?? null });
}
