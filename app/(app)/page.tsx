import Link from 'next/link';
import type { ReactNode } from 'react';
import { StatusBadge } from '@/components/releases/status-badge';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can, ROLE_DESCRIPTIONS } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { getDemoHistory } from '@/lib/server/demo/get-demo-history';
import { getHomeSummary, type HomeRelease } from '@/lib/server/home/get-home-summary';

export default async function HomePage() {
  const { actor } = await pageActorOrRedirect('/');
  const [summary, history] = await Promise.all([getHomeSummary(actor), getDemoHistory()]);
  const canRequest = can(actor.roles, 'releases:request');

  return (
    <>
      <PageHeader title={`Welcome, ${actor.name}`} description="What waits for you, and what changed lately." />
      {history.status === 'queued' || history.status === 'running' ? (
        <p className="notice" role="status" data-testid="demo-history-progress">
          Generating the demo models’ last {history.days} days of monitoring history: {history.daysDone} of {history.days} days
          done. Monitoring charts fill in as it runs; reload to see progress.
        </p>
      ) : history.status === 'failed' ? (
        <p className="notice warn" role="status" data-testid="demo-history-progress">
          The demo’s monitoring history stopped after {history.daysDone} of {history.days} days ({history.error}); it is retried
          automatically.
        </p>
      ) : null}
      <div className="home-grid">
        {summary.awaitingReview ? (
          <HomeSection
            id="awaiting-review"
            title={`Awaiting your review${summary.awaitingReviewTotal ? ` (${summary.awaitingReviewTotal})` : ''}`}
            releases={summary.awaitingReview}
            detail={(r) => (
              <>
                requested by {r.requestedBy ?? 'a deleted user'} <Time value={r.requestedAt} />
              </>
            )}
            empty={
              <>
                <strong>Nothing awaits your review.</strong> When an engineer requests a release that needs approval, it appears here
                and next to Releases in the menu. <Link href="/releases">See all releases</Link>.
              </>
            }
            more={summary.awaitingReviewTotal > summary.awaitingReview.length ? { href: '/releases?status=pending_approval', label: `All ${summary.awaitingReviewTotal} awaiting review` } : null}
          />
        ) : null}
        {summary.myOpenRequests ? (
          <HomeSection
            id="my-requests"
            title="Your open requests"
            releases={summary.myOpenRequests}
            detail={(r) => (
              <>
                <StatusBadge status={r.status} /> requested <Time value={r.requestedAt} />
              </>
            )}
            empty={
              <>
                <strong>You have no open requests.</strong> To promote a version, open it from <Link href="/models">Models</Link> and
                choose an environment under “Promote”.
              </>
            }
          />
        ) : null}
        {summary.myRecentReleases ? (
          <HomeSection
            id="my-releases"
            title="Your recent releases"
            releases={summary.myRecentReleases}
            detail={(r) => (
              <>
                <StatusBadge status={r.status} /> <Time value={r.endedAt ?? r.liveAt ?? r.requestedAt} />
              </>
            )}
            empty={<>Releases you request show here once they are decided.</>}
          />
        ) : null}
        {summary.wentLive ? (
          <HomeSection
            id="went-live"
            title="Went live recently"
            releases={summary.wentLive}
            detail={(r) => (
              <>
                {r.isRollback ? <span className="badge warn">rollback</span> : null}
                live <Time value={r.liveAt ?? r.requestedAt} />
                {r.requestedBy ? <> · {r.requestedBy}</> : null}
              </>
            )}
            empty={
              <>
                <strong>Nothing has gone live yet.</strong>{' '}
                {canRequest ? (
                  <>Register a version and promote it from its model page.</>
                ) : (
                  <>Versions appear here as soon as they go live in any environment.</>
                )}
              </>
            }
            more={{ href: '/releases', label: 'All releases' }}
          />
        ) : null}
      </div>

      <section className="panel" aria-labelledby="roles-heading">
        <h2 id="roles-heading">Your roles</h2>
        <ul>
          {actor.roles.map((role) => (
            <li key={role}>
              <strong>{role}</strong>: {ROLE_DESCRIPTIONS[role]}
            </li>
          ))}
        </ul>
        <p className="muted">
          Automate with the <Link href="/docs/api">REST API</Link> using a <Link href="/settings/tokens">personal API token</Link>.
        </p>
      </section>
    </>
  );
}

function HomeSection(props: {
  id: string;
  title: string;
  releases: HomeRelease[];
  detail: (release: HomeRelease) => ReactNode;
  empty: ReactNode;
  more?: { href: string; label: string } | null;
}) {
  return (
    <section className="panel" aria-labelledby={`${props.id}-heading`} data-testid={props.id}>
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      {props.releases.length === 0 ? (
        <p className="muted" role="status">{props.empty}</p>
      ) : (
        <ul className="home-list">
          {props.releases.map((release) => (
            <li key={release.id}>
              <Link href={`/releases/${release.id}`}>
                {release.model} v{release.version} → {release.environment}
              </Link>
              <span className="muted small">{props.detail(release)}</span>
            </li>
          ))}
        </ul>
      )}
      {props.more ? (
        <p className="small">
          <Link href={props.more.href}>{props.more.label}</Link>
        </p>
      ) : null}
    </section>
  );
}
