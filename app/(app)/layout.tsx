import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppNav } from '@/components/shell/app-nav';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { currentActor } from '@/lib/server/auth/current-actor';

export default async function AppLayout({ children }: { children: ReactNode }) {
  // Pages redirect signed-out visitors themselves (a layout is not re-run on every navigation).
  const actor = await currentActor();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <aside className="sidebar">
        <Link href="/" className="brand">ModelDeck</Link>
        {actor ? <AppNav roles={actor.roles} /> : null}
        {actor ? (
          <div className="sidebar-footer">
            <span title={actor.email} data-testid="current-user">{actor.name}</span>
            <span className="muted">{actor.roles.join(', ')}</span>
            <Link href="/settings">Settings</Link>
            <Link href="/settings/tokens">API tokens</Link>
            <Link href="/docs/api">API reference</Link>
            <SignOutButton />
          </div>
        ) : null}
      </aside>
      <main className="main" id="main">{children}</main>
    </div>
  );
}
