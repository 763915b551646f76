'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { can, type Permission, type RoleName } from '@/lib/auth/permissions';

const ITEMS: { href: string; label: string; permission: Permission }[] = [
  { href: '/models', label: 'Models', permission: 'models:read' },
  { href: '/releases', label: 'Releases', permission: 'releases:read' },
  { href: '/monitoring', label: 'Monitoring', permission: 'monitoring:read' },
  { href: '/alerts', label: 'Alerts', permission: 'alerts:read' },
  { href: '/audit', label: 'Audit', permission: 'audit:read' },
  { href: '/admin', label: 'Admin', permission: 'users:manage' },
];

/**
 * `pendingReviews`: releases awaiting this user's review, shown next to Releases when non-zero.
 * `openAlerts`: firing or acknowledged alerts, shown next to Alerts when non-zero.
 */
export function AppNav({ roles, pendingReviews = 0, openAlerts = 0 }: { roles: RoleName[]; pendingReviews?: number; openAlerts?: number }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {ITEMS.filter((item) => can(roles, item.permission)).map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname.startsWith(item.href) ? 'page' : undefined}>
          {item.label}
          {item.href === '/releases' && pendingReviews > 0 ? (
            <>
              <span className="badge nav-count" data-testid="pending-reviews" aria-hidden="true">{pendingReviews}</span>
              <span className="visually-hidden"> ({pendingReviews} awaiting your review)</span>
            </>
          ) : null}
          {item.href === '/alerts' && openAlerts > 0 ? (
            <>
              <span className="badge nav-count danger" data-testid="open-alerts" aria-hidden="true">{openAlerts}</span>
              <span className="visually-hidden"> ({openAlerts} open)</span>
            </>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
