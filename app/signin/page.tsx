import { SignInForm } from '@/components/auth/sign-in-form';
import { env, oidcEnabled } from '@/lib/env';
import { safeCallbackPath } from '@/lib/security/safe-redirect';

export const metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

const ERRORS: Record<string, string> = {
  RateLimited: 'Too many failed sign-in attempts. Wait 15 minutes and try again.',
  AccessDenied: 'Your account is not allowed to use ModelDeck. Ask an admin.',
  CredentialsSignin: 'Invalid e-mail or password.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const errorCode = typeof params.error === 'string' ? params.error : undefined;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Sign in to ModelDeck</h1>
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={errorCode ? (ERRORS[errorCode] ?? 'Sign-in failed. Try again.') : undefined}
          sso={oidcEnabled() ? { id: 'oidc', name: env().OIDC_DISPLAY_NAME } : undefined}
        />
      </div>
    </main>
  );
}
