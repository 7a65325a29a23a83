// POST `verify-email`: CSRF-checked; spends the verification link and marks the address verified, then the sign-in page.
import { verifyEmail } from '../flows/password/verify-email.js';
import type { Route } from '../context.js';

export const verifyEmailRoute: Route = (ctx) => verifyEmail(ctx);
