// POST `two-factor/email-code`: mails a one-time code for the pending sign-in, the fallback second step when the authenticator app is out of reach (CSRF-checked).
import { sendEmailCode } from '../flows/email-code.js';
import type { Route } from '../context.js';

export const twoFactorEmailCode: Route = (ctx) => sendEmailCode(ctx);
