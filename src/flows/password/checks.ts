// What a new password and a form POST must pass for the Password provider: CSRF, the CAPTCHA hook, the NIST policy, the breach check.
import type { PasswordProvider } from '../../config.js';
import { checkPasswordPolicy, contextWords } from '../../core/password-policy.js';
import { CaptchaFailedError, MissingCSRFError, PasswordBreachedError, PasswordCheckUnavailableError, WeakPasswordError } from '../../errors.js';
import { captchaToken } from '../../services/captcha.js';
import type { RouteContext } from '../../context.js';
import { csrf } from '../request-state.js';

export type CaptchaStep = 'signIn' | 'signUp' | 'forgotPassword' | 'resetPassword';

/** CSRF on every POST, then the CAPTCHA when the app asked for one on this step. */
export async function checkForm(ctx: RouteContext, provider: PasswordProvider, step: CaptchaStep | 'changePassword'): Promise<void> {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const verify = provider.config.verifyCaptcha;
  // A password change comes from a signed-in session: no CAPTCHA step of its own.
  if (!verify || step === 'changePassword' || !provider.captchaOn.has(step)) return;
  let passed = false;
  try {
    passed = (await verify(captchaToken(ctx.body), ctx.request)) === true;
  } catch (error) {
    // A hook that throws refuses, as the siteverify helpers do: a check that cannot run must not wave bots through.
    throw new CaptchaFailedError({ cause: error, provider: provider.id });
  }
  if (!passed) throw new CaptchaFailedError({ provider: provider.id });
}

/** A string field of the body, or ''. */
export function field(ctx: RouteContext, name: string): string {
  const value = ctx.body[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The new password, NFKC-normalized, after the policy (WeakPassword with the violation as `code`)
 * and the optional breach check (PasswordBreached; PasswordCheckUnavailable when it fails closed).
 */
export async function acceptablePassword(provider: PasswordProvider, password: string, account: { email: string; name?: string | null | undefined }): Promise<string> {
  const verdict = checkPasswordPolicy(password, provider.policy, contextWords(account.email, account.name));
  if (!verdict.ok) throw new WeakPasswordError({ provider: provider.id, detail: verdict.violation });
  const breached = provider.config.breachedPasswords;
  if (breached) {
    let answer: Awaited<ReturnType<typeof breached>>;
    try {
      answer = await breached(verdict.password);
    } catch (error) {
      // pwnedPasswords() never throws (it answers per `onUnavailable`); a custom check that does is unavailable.
      throw new PasswordCheckUnavailableError({ cause: error, provider: provider.id });
    }
    if (answer === 'breached') throw new PasswordBreachedError({ provider: provider.id });
    if (answer === 'unavailable') throw new PasswordCheckUnavailableError({ provider: provider.id });
  }
  return verdict.password;
}
