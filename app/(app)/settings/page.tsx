import Link from 'next/link';
import { ChangePasswordForm } from '@/components/settings/change-password-form';
import { SignOutEverywhereForm } from '@/components/settings/sign-out-everywhere-form';
import { PageHeader } from '@/components/ui/page-header';
import { getAccountSettings } from '@/lib/server/auth/get-account-settings';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const { actor } = await pageActorOrRedirect('/settings');
  const { hasPassword } = await getAccountSettings(actor.id);
  return (
    <>
      <PageHeader title="Settings" description={<>Signed in as {actor.email}.</>} />
      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        {hasPassword ? (
          <ChangePasswordForm email={actor.email} />
        ) : (
          <p className="muted">You sign in through single sign-on: change your password at your identity provider.</p>
        )}
      </section>
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sign out everywhere</h2>
        <p>Ends every session of yours, on every device and browser, including this one. API tokens keep working; revoke them under API tokens.</p>
        <SignOutEverywhereForm />
      </section>
      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <p>
          Personal tokens for scripts and pipelines: <Link href="/settings/tokens">manage your API tokens</Link>.
        </p>
      </section>
    </>
  );
}
