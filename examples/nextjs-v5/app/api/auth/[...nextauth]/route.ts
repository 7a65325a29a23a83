// The auth API at /api/auth/*.
import { handlers } from '@/auth';

export const { GET, POST } = handlers;
