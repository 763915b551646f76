import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppNav } from '@/components/shell/app-nav';
import { CollapsibleSidebar } from '@/components/shell/collapsible-sidebar';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { currentActor } from '@/lib/server/auth/current-actor';
import { countPendingReviews } from '@/lib/server/home/get-home-summary';
import { countOpenAlerts } from '@/lib/server/alerts/list-alerts';
import { can } from '@/lib/auth/permissions';

export default async function AppLayout({ children }: { children: ReactNode }) {
  // Pages redirect signed-out visitors themselves (a layout is not re-run on every navigation).
  const actor = await currentActor();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <CollapsibleSidebar>
        <Link href="/" className="brand sidebar-brand">ModelDeck</Link>
        {actor ? <AppNav
            roles={actor.roles}
            pendingReviews={await countPendingReviews(actor)}
            openAlerts={can(actor.roles, 'alerts:read') ? await countOpenAlerts() : 0}
          /> : null}
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
      </CollapsibleSidebar>
      <main className="main" id="main">{children}</main>
    </div>
  );
}
