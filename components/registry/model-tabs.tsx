import Link from 'next/link';

/** The model page's sections: the registry view and the Monitoring tab. */
export function ModelTabs({ model, current }: { model: string; current: 'overview' | 'monitoring' }) {
  const base = `/models/${encodeURIComponent(model)}`;
  return (
    <nav className="tabs" aria-label={`${model} sections`}>
      <Link href={base} aria-current={current === 'overview' ? 'page' : undefined}>
        Overview
      </Link>
      <Link href={`${base}/monitoring`} aria-current={current === 'monitoring' ? 'page' : undefined}>
        Monitoring
      </Link>
    </nav>
  );
}
