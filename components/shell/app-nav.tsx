'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
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
 * The layout's count is only the first paint: layouts do not re-render on client-side
 * navigation, so the count is fetched again (GET /api/v1/me) on every navigation and every
 * half minute — a review decided here or a request made elsewhere shows up without a reload.
 * `openAlerts`: firing or acknowledged alerts, shown next to Alerts when non-zero.
 */
export function AppNav({ roles, pendingReviews: initialCount = 0, openAlerts = 0 }: { roles: RoleName[]; pendingReviews?: number; openAlerts?: number }) {
  const pathname = usePathname();
  const mayReview = can(roles, 'releases:review');
  const { data: pendingReviews = initialCount, refetch } = useQuery({
    queryKey: ['nav', 'pending-reviews'],
    queryFn: fetchPendingReviews,
    initialData: initialCount,
    enabled: mayReview,
    refetchInterval: 30_000,
  });
  // A new path, or a new first-paint count (a server action re-rendered the layout).
  useEffect(() => {
    if (mayReview) void refetch();
  }, [pathname, initialCount, mayReview, refetch]);
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

async function fetchPendingReviews(): Promise<number> {
  const response = await fetch('/api/v1/me', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/v1/me answered ${response.status}`);
  const me = (await response.json()) as { pendingReviews?: unknown };
  return typeof me.pendingReviews === 'number' ? me.pendingReviews : 0;
}
