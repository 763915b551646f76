'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { TextField } from '@/components/ui/form-fields';
import { safeCallbackPath } from '@/lib/security/safe-redirect';

export function SignInForm(props: { callbackUrl: string; initialError?: string; sso?: { id: string; name: string } }) {
  const router = useRouter();
  const [error, setError] = useState(props.initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        // The page already checked it; checking again keeps this form safe wherever it is used.
        router.replace(safeCallbackPath(props.callbackUrl));
        router.refresh();
        return;
      }
      setError(
        result?.status === 429 || result?.error === 'RateLimited'
          ? 'Too many failed sign-in attempts. Wait 15 minutes and try again.'
          : 'Invalid e-mail or password.',
      );
    } catch {
      setError('Sign-in is unavailable right now. Try again shortly.');
    }
    setPending(false);
  }

  return (
    <>
      <form className="stack" onSubmit={onSubmit} aria-describedby={error ? 'signin-error' : undefined}>
        <TextField id="email" name="email" label="E-mail" type="email" autoComplete="username" required autoFocus />
        <TextField id="password" name="password" label="Password" type="password" autoComplete="current-password" required />
        {error ? (
          <div className="notice danger" role="alert" id="signin-error">
            {error}
          </div>
        ) : null}
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {props.sso ? (
        <>
          <div className="divider">or</div>
          <button
            type="button"
            className="btn"
            style={{ width: '100%', justifyContent: 'center' }}
            onClick={() => signIn(props.sso!.id, { callbackUrl: props.callbackUrl })}
          >
            Sign in with {props.sso.name}
          </button>
        </>
      ) : null}
    </>
  );
}
