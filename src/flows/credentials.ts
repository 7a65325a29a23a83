// The credentials flow: POST `callback/credentials` runs `authorize()`; a null, a throw or a missing id is a failed sign-in.
import type { CredentialsProvider } from '../config.js';
import { credentialsCode } from '../credentials-signin.js';
import { isUnavailable } from '../adapters/errors.js';
import { BadRequestError, CredentialsSigninError, MissingCSRFError, ServiceUnavailableError } from '../errors.js';
import type { RouteContext, RouteResult } from '../context.js';
import type { CredentialsConfig, User } from '../types.js';
import { reserveCredentialsAttempt } from './rate-limit.js';
import { callbackUrl, csrf, stringFields } from './request-state.js';
import { completeSignIn } from './sign-in.js';

const NOT_IN_ADAPTER = 'authorize() returned a user that is not in the adapter: with database sessions it must return a user the adapter holds (adapter.getUser(id)), or use strategy "jwt".';

/**
 * v4's second `authorize` argument. `headers` is built on first read: it needs the Fetch Request,
 * which costs more than the rest of a sign-in, and most `authorize` functions never look.
 */
export function authorizeRequest(ctx: RouteContext): Parameters<CredentialsConfig['authorize']>[1] {
  let headers: Record<string, string> | undefined;
  return {
    query: { ...ctx.query },
    body: { ...ctx.body },
    get headers() {
      return (headers ??= Object.fromEntries(ctx.request.headers));
    },
    method: ctx.method,
  };
}

export async function credentialsCallback(ctx: RouteContext, provider: CredentialsProvider): Promise<RouteResult> {
  if (ctx.method !== 'POST') throw new BadRequestError('Error: Credentials sign-in must be a POST.', 405);
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  // Resolved first so the callback-url cookie is set on failure too, as v4 does.
  await callbackUrl(ctx);
  const { config } = provider;
  const fields = stringFields(ctx.body);
  // The identifier a guesser varies least: the first declared credential that is not a password.
  const idField = Object.entries(config.credentials).find(([, input]) => input?.type !== 'password')?.[0] ?? 'username';
  const identifier = `${provider.id}:${fields[idField] ?? fields.email ?? fields.username ?? ''}`;
  // Counted before authorize() runs (a failure unless it succeeds), so a burst cannot outrun the limit.
  const attempt = await reserveCredentialsAttempt(ctx, identifier);
  let user: User | null;
  try {
    user = await config.authorize(fields, authorizeRequest(ctx));
  } catch (error) {
    // authorize() could not reach its store (the app's database failing with a connection error,
    // a timeout): not a wrong password, so nothing is counted against anyone.
    if (isUnavailable(error)) {
      await attempt.release();
      throw new ServiceUnavailableError(error);
    }
    // The message stays in the log: reflecting it would tell an attacker why a guess failed. Only a
    // code the app chose to send (a thrown CredentialsSignin's) reaches the client.
    const detail = credentialsCode(error);
    throw new CredentialsSigninError({ cause: error, provider: provider.id, ...(detail === undefined ? {} : { detail }) });
  }
  if (!user) throw new CredentialsSigninError({ provider: provider.id });
  if (user.id === undefined || user.id === null || String(user.id) === '') {
    throw new CredentialsSigninError({ cause: new TypeError('authorize() returned a user without an id'), provider: provider.id });
  }
  // Database sessions store a row for the user: a user the adapter does not hold would get a
  // session cookie that reads as signed out (or a 500 from the adapter), so the sign-in fails here.
  const users = ctx.config.strategy.kind === 'database' ? ctx.config.stores.users : undefined;
  if (users && !(await users.getUser(String(user.id)))) {
    throw new CredentialsSigninError({ cause: new Error(NOT_IN_ADAPTER), provider: provider.id });
  }
  await attempt.succeeded();
  return completeSignIn(ctx, {
    provider,
    user,
    account: { providerAccountId: String(user.id), type: 'credentials', provider: provider.id },
    credentials: { ...ctx.body },
  });
}
