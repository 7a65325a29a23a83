// GET `verify-email?token=…`: the confirm page of a sign-up's verification link (spends nothing, so link scanners are harmless).
import { verifyEmailConfirm } from '../flows/password/verify-email.js';
import type { Route } from '../context.js';

export const verifyEmailPage: Route = (ctx) => verifyEmailConfirm(ctx);
