// The sign-in page: a plain form whose server action calls signIn('credentials', formData); a refused sign-in comes back with ?error=.
import { AuthError } from 'gatehouse-auth/next';
import { redirect } from 'next/navigation';
import { signIn } from '@/auth';

export default async function Login({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  async function login(formData: FormData) {
    'use server';
    try {
      await signIn('credentials', formData);
    } catch (failure) {
      // signIn redirects by throwing Next's redirect, which must go on; only a refused sign-in is handled here.
      if (failure instanceof AuthError) redirect(`/login?${new URLSearchParams({ error: failure.type, callbackUrl: String(formData.get('redirectTo') ?? '/') })}`);
      throw failure;
    }
  }
  return (
    <main>
      <h1>Sign in</h1>
      <form action={login}>
        <input type="hidden" name="redirectTo" value={callbackUrl ?? '/'} />
        <input name="email" type="email" placeholder="ann@example.com" aria-label="Email" required />
        <input name="password" type="password" placeholder="ann" aria-label="Password" required />
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert" data-testid="login-error">{error === 'CredentialsSignin' ? 'Wrong email or password.' : 'Sign-in failed.'}</p>}
    </main>
  );
}
