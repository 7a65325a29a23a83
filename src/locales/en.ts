// English: the reference catalogue. Its keys are `MessageKey`; every other locale must have each of them (the type checks that, test/locales/catalogue.test.ts checks the shipped text).
/**
 * Every string the built-in pages and mails show. `{name}` is a placeholder filled at render time
 * (numbers and durations are formatted with `Intl` for the page's locale); a translation keeps the
 * same placeholders. Not `as const`: the type holds the keys, not the wording, so rewording English
 * is no API change. Keys group by page: `common.*` are shared labels. The English titles
 * (`Sign In`, `Sign Out`, `Verify Request`) are next-auth v4's, which apps' own browser tests look for.
 */
export const en = {
  'common.email': 'Email',
  'common.password': 'Password',
  'common.signIn': 'Sign in',
  'common.backTo': 'Back to {host}',
  'common.backToSignIn': 'Back to sign in',

  'signin.title': 'Sign In',
  'signin.heading': 'Sign in',
  'signin.withProvider': 'Sign in with {provider}',
  'signin.withEmail': 'Sign in with email',
  'signin.emailPlaceholder': 'email@example.com',
  'signin.forgotPassword': 'Forgot password?',
  'signin.createAccount': 'Create account',
  'signin.error.default': 'Unable to sign in.',
  'signin.error.tryAnotherAccount': 'Try signing in with a different account.',
  'signin.error.accountNotLinked': 'This email is already linked to another sign-in method. Sign in the way you did before.',
  'signin.error.emailNotSent': 'The sign-in email could not be sent. Check the address and try again.',
  'signin.error.credentials': 'Sign in failed. Check that the details you entered are correct.',
  'signin.error.sessionRequired': 'Please sign in to view this page.',
  'signin.error.formExpired': 'The sign-in form expired. Please try again.',
  'signin.error.rateLimited': 'Too many attempts. Please wait a moment and try again.',
  'signin.error.twoFactorExpired': 'That sign-in step expired. Please sign in again.',
  'signin.notice.verified': 'Your email address is confirmed. You can sign in now.',
  'signin.notice.reset': 'Your password was changed. Sign in with the new one.',

  'form.error.invalidCredentials': 'Sign in failed. Check your email and password.',
  'form.error.accountLocked': 'Too many wrong passwords: this account is locked for a while. Try again later, or reset your password.',
  'form.error.emailNotVerified': 'Confirm your email address first: open the link we sent you.',
  'form.error.weakPassword': 'Choose a password of at least {minLength} characters that is not your email address or name.',
  'form.error.passwordBreached': 'This password appears in a known data breach. Choose another one.',
  'form.error.passwordCheckUnavailable': 'Your password could not be checked right now. Please try again in a moment.',
  'form.error.emailInUse': 'An account with this email already exists. Sign in, or reset your password.',
  'form.error.captchaFailed': 'Please complete the challenge and try again.',
  'form.policy.TooShort': 'Choose a longer password.',
  'form.policy.TooLong': 'That password is too long.',
  'form.policy.ContextSpecific': 'Choose a password that is not your email address or name.',
  'form.policy.Repetitive': 'Choose a password that is not one character repeated.',

  'error.configuration.heading': 'Server error',
  'error.configuration.message': 'The server is not configured correctly. The site owner can find details in the server logs.',
  'error.accessDenied.heading': 'Access denied',
  'error.accessDenied.message': 'You are not allowed to sign in.',
  'error.verification.heading': 'Unable to sign in',
  'error.verification.message': 'This sign-in link is no longer valid: it was already used or it has expired.',
  'error.duplicateField.heading': 'Bad request',
  'error.duplicateField.message': 'The request sent a field more than once, so it was refused. Go back and submit the form again.',
  'error.crossSite.heading': 'Request refused',
  'error.crossSite.message': 'This form was sent from another site, so it was refused. Go to this site and try again.',
  'error.serviceUnavailable.heading': 'Service unavailable',
  'error.serviceUnavailable.message': 'Signing in is not possible for a moment. Please try again shortly.',
  'error.default.heading': 'Error',
  'error.default.message': 'Something went wrong while signing in.',

  'signout.title': 'Sign Out',
  'signout.heading': 'Sign out',
  'signout.question': 'Are you sure you want to sign out?',
  'signout.submit': 'Sign out',

  'verifyRequest.title': 'Verify Request',
  'verifyRequest.heading': 'Check your email',
  'verifyRequest.email': 'We sent you a link to sign in. It works once and expires soon.',
  'verifyRequest.signup': 'If this address can be used, we sent it a link to confirm it. Open it to finish creating your account.',
  'verifyRequest.reset': 'If an account uses this address, we sent it a link to choose a new password. It works once and expires in an hour.',

  'emailConfirm.title': 'Sign In',
  'emailConfirm.heading': 'Sign in',
  'emailConfirm.question': 'Continue as {email}?',
  'emailConfirm.submit': 'Sign in',

  'signup.title': 'Create account',
  'signup.heading': 'Create account',
  'signup.name': 'Name',
  'signup.submit': 'Create account',
  'signup.haveAccount': 'Already have an account? Sign in',

  'verifyEmail.title': 'Confirm your email',
  'verifyEmail.heading': 'Confirm your email',
  'verifyEmail.lead': 'One more step: confirm this address to finish creating your account.',
  'verifyEmail.submit': 'Confirm email',

  'forgotPassword.title': 'Reset password',
  'forgotPassword.heading': 'Reset your password',
  'forgotPassword.lead': 'Enter the address of your account: we will mail it a link to choose a new password.',
  'forgotPassword.submit': 'Send reset link',

  'resetPassword.title': 'Choose a new password',
  'resetPassword.heading': 'Choose a new password',
  'resetPassword.newPassword': 'New password',
  'resetPassword.submit': 'Set new password',

  'changePassword.title': 'Change password',
  'changePassword.heading': 'Change your password',
  'changePassword.lead': 'Your other devices will be signed out.',
  'changePassword.current': 'Current password',
  'changePassword.new': 'New password',
  'changePassword.submit': 'Change password',

  'twoFactor.title': 'Two-step verification',
  'twoFactor.heading': 'Two-step verification',
  'twoFactor.lead': 'Enter the {digits}-digit code from your authenticator app.',
  'twoFactor.invalidCode': 'That code did not work. Check your app and try again.',
  'twoFactor.code': 'Code',
  'twoFactor.verify': 'Verify',
  'twoFactor.backupCode': 'Or a backup code',
  'twoFactor.useBackupCode': 'Use backup code',
  'twoFactor.trustDevice': 'Trust this device for {days} days',

  'repost.title': 'Signing in…',
  'repost.continue': 'Continue signing in',

  'mail.signIn.subject': 'Sign in to {host}',
  'mail.signIn.heading': 'Sign in to {host}',
  'mail.signIn.button': 'Sign in',
  'mail.signIn.foot': 'If you did not ask for this email, you can ignore it. The link works once and expires in {duration}.',

  'mail.verifyEmail.subject': 'Confirm your email for {host}',
  'mail.verifyEmail.lead': 'Confirm your email address to finish creating your account on {host}.',
  'mail.verifyEmail.button': 'Confirm email',
  'mail.verifyEmail.foot': 'If you did not create an account, you can ignore this email. The link works once and expires in {duration}.',

  'mail.resetPassword.subject': 'Reset your password for {host}',
  'mail.resetPassword.lead': 'Someone asked to reset the password of your account on {host}.',
  'mail.resetPassword.button': 'Choose a new password',
  'mail.resetPassword.foot': 'If it was not you, ignore this email: your password stays as it is. The link works once and expires in {duration}.',

  'mail.accountExists.subject': 'You already have an account on {host}',
  'mail.accountExists.lead': 'Someone tried to create an account on {host} with this address, which already has one.',
  'mail.accountExists.button': 'Sign in',
  'mail.accountExists.foot': 'If you forgot your password, you can reset it from the sign-in page. If it was not you, you can ignore this email.',
} satisfies Record<string, string>;
