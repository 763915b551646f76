'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const TABS = [
  { href: '/admin', label: 'Users' },
  { href: '/admin/environments', label: 'Environments' },
  { href: '/admin/webhooks', label: 'Webhooks' },
  { href: '/admin/channels', label: 'Alert channels' },
  { href: '/admin/prices', label: 'Unit prices' },
];

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label="Admin sections">
      {TABS.map((tab) => (
        <Link key={tab.href} href={tab.href} aria-current={pathname === tab.href ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
