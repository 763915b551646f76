import type { LiveEntry } from '@/lib/server/registry/live-releases';

/** "production v3" badges, one per environment a version is live in (canary/shadow slots marked). */
export function LiveBadges({ live }: { live: LiveEntry[] }) {
  if (live.length === 0) return <span className="muted">not live</span>;
  return (
    <>
      {live.map((entry) => (
        <span
          key={`${entry.environment}-${entry.slot}`}
          className={`badge ${entry.slot === 'primary' ? 'ok' : 'info'}`}
          title={`Live since ${new Date(entry.since).toLocaleString()}`}
        >
          {entry.environment} v{entry.version}
          {entry.slot === 'secondary' ? ` (${entry.strategy})` : ''}
        </span>
      ))}
    </>
  );
}
