// Passkey sign-up (issue 18): the address is proved by a mailed link first, then a passkey creates a new account; an address that has an account never gets one attached.
import type { PasskeyProvider, PasswordProvider, ResolvedConfig } from '../config.js';
import { normalizeEmail } from '../core/email-address.js';
import { randomBytes, randomToken, sha256Hex } from '../core/crypto.js';
import type { RouteContext, RouteResult } from '../context.js';
import { EmailCreateAccountError, EmailInUseError, EmailSigninError, PasskeySigninError, VerificationError } from '../errors.js';
import type { AdapterUser } from '../types.js';
import { fire } from './events.js';
import { checkForm, field } from './password/checks.js';
import { pageUrl, sendPasswordMail, withQuery } from './password/mail.js';
import { checkEmailPage, extraFields } from './password/sign-up.js';
import { challengeOf, clearNonce, spendChallenge, storeChallenge } from './passkey-challenge.js';
import { creationOptions, passkeyName, responseOf, verifiedCredential } from './passkey.js';
import { countEmailSend } from './rate-limit.js';
import { callbackUrl, returnErrorsTo } from './request-state.js';
import { completeSignIn } from './sign-in.js';

/** What a mailed link stands for, kept in the lease store under the hash of its token until it is used or expires. */
export interface SignUpLink {
  email: string;
  name: string | null;
  /** The sign-up form's declared fields (`fields` of the Password provider), as given. */
  extras: Record<string, string>;
  callbackUrl: string;
}

const MAX_NAME = 256;
/** 256 random bits as hex: the link's secret. */
const TOKEN = /^[0-9a-f]{64}$/;
const linkKey = (token: string) => `passkey-signup:${sha256Hex(token)}`;

/**
 * The Password provider that allows sign-up: its page hosts the passkey form, its sender mails the
 * link and its form rules (CAPTCHA, declared fields, enumeration safety) hold for this sign-up too.
 */
export function signUpHost(config: ResolvedConfig): PasswordProvider | undefined {
  return config.providers.find((provider): provider is PasswordProvider => provider.type === 'password' && provider.config.allowSignUp !== false);
}

/** The page a mailed link opens: GET `signup/<passkey id>?token=…`. */
export function signUpLinkUrl(ctx: RouteContext, provider: PasskeyProvider, token: string): string {
  return withQuery(`${ctx.url.base}/signup/${encodeURIComponent(provider.id)}`, { token });
}

/** The unexpired, unused link `token` names, or null; reading spends nothing (mail scanners open links). */
export async function readSignUpLink(provider: PasskeyProvider, token: unknown): Promise<SignUpLink | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const raw = await provider.challenges.get(linkKey(token));
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as SignUpLink;
  } catch {
    return null;
  }
}

/**
 * POST `signup/<passkey id>` (CSRF; `email`, `name`, the declared fields): mails a link that lets
 * the address's owner create the account with a passkey. An address that has an account gets the
 * password sign-up's "you already have an account" mail instead, and the same answer, so the form
 * tells nobody which addresses have accounts and no passkey can be put on one from here.
 */
export async function startPasskeySignUp(ctx: RouteContext, provider: PasskeyProvider, host: PasswordProvider): Promise<RouteResult> {
  await checkForm(ctx, host, 'signUp');
  const target = await callbackUrl(ctx);
  const email = normalizeEmail(ctx.body.email);
  if (!email) throw new EmailSigninError(new Error('not exactly one valid email address'));
  const name = field(ctx, 'name').trim().slice(0, MAX_NAME);
  const extras = extraFields(ctx, host);
  await countEmailSend(ctx, email);
  const existing = await provider.users.getUserByEmail(email);
  if (existing) {
    if (!host.enumerationSafe) throw new EmailInUseError({ provider: host.id });
    await sendPasswordMail(ctx, host, {
      kind: 'accountExists',
      to: existing.email,
      url: pageUrl(ctx, ctx.config.pages.signIn, '/signin'),
      expires: new Date(Date.now() + host.resetMaxAge * 1000),
    });
    return { redirect: checkEmailPage(ctx, host, 'signup') };
  }
  const token = randomToken(32);
  const link: SignUpLink = { email, name: name === '' ? null : name, extras, callbackUrl: target };
  await provider.challenges.set(linkKey(token), JSON.stringify(link), host.verificationMaxAge * 1000);
  // The verification mail's words fit ("confirm your address to finish creating your account"): apps' senders need no new kind.
  await sendPasswordMail(ctx, host, { kind: 'verifyEmail', to: email, url: signUpLinkUrl(ctx, provider, token), expires: new Date(Date.now() + host.verificationMaxAge * 1000) });
  return { redirect: checkEmailPage(ctx, host, 'signup') };
}

/**
 * GET `webauthn-options/<id>?action=register&token=…`: creation options for the link's address.
 * The user handle is random (no user id exists yet; §14.6.1 wants none of the user's data in it);
 * the challenge is bound to the link and to a nonce cookie of this browser.
 */
export async function signUpOptions(ctx: RouteContext, provider: PasskeyProvider, token: string): Promise<RouteResult> {
  const link = await readSignUpLink(provider, token);
  if (!link) return { status: 403, json: { error: 'Verification', message: 'This sign-up link is no longer valid: it was used or it expired.' } };
  // Whoever holds the link owns the address, so saying that it has an account now tells them nothing new.
  if (await provider.users.getUserByEmail(link.email)) return { status: 409, json: { error: 'EmailInUse', message: 'An account with this email already exists. Sign in instead.' } };
  const options = await creationOptions(ctx, provider, { userName: link.email, userID: randomBytes(32), exclude: [] });
  const cookies = await storeChallenge(ctx, provider, options.challenge, 'signup', sha256Hex(token));
  return { json: { action: 'register', options }, cookies };
}

/** Spends the link: true once, also when two requests race with it (an atomic add, as a challenge is spent). */
async function spendSignUpLink(provider: PasskeyProvider, token: string): Promise<boolean> {
  if (!(await provider.challenges.add(`passkey-signup-spent:${sha256Hex(token)}`, '1', 24 * 60 * 60 * 1000))) return false;
  await provider.challenges.delete(linkKey(token));
  return true;
}

/**
 * POST `callback/<id>` with `action=register` and the link's `token`: verifies the new credential,
 * spends the link and signs in through completeSignIn, which runs the signIn callback before the
 * user and its passkey are written (with the address's placeholder user, as the email flow does),
 * then fires createUser and signIn. Refusals go back to the link's page while the link still works,
 * to the sign-up page once it is spent or the address is taken.
 */
export async function passkeySignUp(ctx: RouteContext, provider: PasskeyProvider): Promise<RouteResult> {
  const token = ctx.body.token;
  const link = await readSignUpLink(provider, token);
  if (typeof token !== 'string' || !link) throw new VerificationError(new Error('passkey sign-up link unknown, used or expired'));
  // A taken address is answered on the sign-up page (the link is of no more use); the rest on the link's page, to try again.
  const signUpPage = pageUrl(ctx, ctx.config.pages.signUp, '/signup');
  returnErrorsTo(ctx, signUpPage);
  if (await provider.users.getUserByEmail(link.email)) throw new EmailInUseError({ provider: provider.id });
  returnErrorsTo(ctx, signUpLinkUrl(ctx, provider, token));
  const response = responseOf(ctx.body);
  const passkey = passkeyName(ctx.body.name);
  if (!response || passkey === undefined) throw new PasskeySigninError('no WebAuthn registration response in `data`, or a bad `name`');
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge || !(await spendChallenge(ctx, provider, challenge, 'signup', sha256Hex(token)))) throw new PasskeySigninError('unknown, spent, expired or foreign sign-up challenge');
  const verified = await verifiedCredential(ctx, provider, response, challenge);
  if (!verified) throw new PasskeySigninError('the registration response did not verify');
  if (await provider.authenticators.getAuthenticator(verified.credential.credentialID)) throw new PasskeySigninError('the credential is already registered');
  if (!(await spendSignUpLink(provider, token))) throw new VerificationError(new Error('passkey sign-up link already used'));
  returnErrorsTo(ctx, signUpPage);
  // The address got an account since the link was mailed (another sign-up, an OAuth sign-in): never attach to it.
  if (await provider.users.getUserByEmail(link.email)) throw new EmailInUseError({ provider: provider.id });
  const createUser = async (): Promise<AdapterUser> => {
    let user: AdapterUser;
    try {
      // The link proved the address: verified now, as the email provider's sign-in marks it.
      user = await provider.users.createUser({ ...link.extras, email: link.email, name: link.name, emailVerified: new Date(), image: null } as Omit<AdapterUser, 'id'>);
    } catch (error) {
      if (await provider.users.getUserByEmail(link.email)) throw new EmailInUseError({ provider: provider.id });
      throw new EmailCreateAccountError(error);
    }
    // Checked above and the link is spent, so only another link's sign-up with this very credential could win here;
    // the user it leaves has a verified address and no credential, which password reset or an email sign-in recovers.
    if (!(await provider.authenticators.createAuthenticator({ ...verified.credential, userId: user.id, name: passkey }))) throw new PasskeySigninError('the credential was registered by a parallel request');
    await fire(ctx.config, 'createUser', { user });
    return user;
  };
  return completeSignIn(ctx, {
    provider,
    user: { id: link.email, email: link.email, name: link.name },
    account: { provider: provider.id, providerAccountId: verified.credential.credentialID, type: 'webauthn' },
    amr: verified.userVerified ? ['hwk', 'user'] : ['hwk'],
    signUp: createUser,
    cookies: clearNonce(ctx),
  });
}
