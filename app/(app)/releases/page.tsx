import Link from 'next/link';
import { GateSummary } from '@/components/releases/gate-summary';
import { StatusBadge } from '@/components/releases/status-badge';
import { statusLabel } from '@/components/releases/release-status';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { AppError } from '@/lib/errors';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listEnvironments } from '@/lib/server/environments/list-environments';
import { listReleases } from '@/lib/server/promotions/list-releases';
import { RELEASE_QUEUE_TABS, ZReleaseQueueQuery } from '@/lib/validation/registry-forms';
import { parseListSearchParams, type PageSearchParams } from '@/lib/server/http/search-params';
import { QueryIssues } from '@/components/ui/query-issues';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Releases' };

const EMPTY: Record<string, string> = {
  pending_approval: 'Nothing waiting for approval.',
  all: 'No releases yet.',
};

export default async function ReleasesPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { actor, allowed } = await pageActorOrRedirect('/releases', 'releases:read');
  if (!allowed) return <Forbidden permission="releases:read" />;

  const { query, issues } = await parseListSearchParams(searchParams, ZReleaseQueueQuery, []);
  const list = (cursor: string | undefined) =>
    listReleases({ status: query.status === 'all' ? undefined : query.status, model: query.model, environment: query.environment, cursor, limit: 50 });
  // A hand-edited cursor is refused (400): show the first page and say so instead of an error page.
  let cursorError: string | null = null;
  const [page, environments] = await Promise.all([
    list(query.cursor).catch((error: unknown) => {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      cursorError = error.message;
      return list(undefined);
    }),
    listEnvironments(),
  ]);
  const filters = new URLSearchParams(
    Object.entries({ model: query.model, environment: query.environment }).filter((e): e is [string, string] => Boolean(e[1])),
  );
  const tabHref = (status: string) => {
    const params = new URLSearchParams(filters);
    if (status !== 'pending_approval') params.set('status', status);
    return params.size ? `/releases?${params}` : '/releases';
  };

  return (
    <>
      <PageHeader
        title="Releases"
        description="Promotion requests and what became of them. Pending requests wait here for a reviewer who did not request them."
      />
      <nav className="tabs wrap" aria-label="Release status">
        {RELEASE_QUEUE_TABS.map((status) => (
          <Link key={status} href={tabHref(status)} aria-current={query.status === status ? 'page' : undefined}>
            {status === 'pending_approval' ? 'Waiting for approval' : status === 'all' ? 'All' : statusLabel(status)}
          </Link>
        ))}
      </nav>
      <form className="inline filters" method="get" aria-label="Filter releases">
        {query.status !== 'pending_approval' ? <input type="hidden" name="status" value={query.status} /> : null}
        <div className="field">
          <label htmlFor="f-model">Model</label>
          <input id="f-model" name="model" defaultValue={query.model} placeholder="churn-predictor" />
        </div>
        <div className="field">
          <label htmlFor="f-env">Environment</label>
          <select id="f-env" name="environment" defaultValue={query.environment ?? ''}>
            <option value="">Any environment</option>
            {environments.map((env) => (
              <option key={env.name} value={env.name}>{env.name}</option>
            ))}
          </select>
        </div>
        <button className="btn" type="submit">Filter</button>
        {filters.size ? <Link className="btn" href={tabHref(query.status)}>Clear</Link> : null}
      </form>
      {cursorError ? (
        <div className="notice warn" role="status">
          {cursorError} Showing the newest releases instead.
        </div>
      ) : null}
      <QueryIssues issues={issues} />
      {page.items.length === 0 ? (
        <EmptyState title={filters.size ? 'No releases match.' : (EMPTY[query.status] ?? `No ${statusLabel(query.status)} releases.`)} />
      ) : (
        <DataTable label="Releases" columns={['Model', 'Version', 'Environment', 'Status', 'Requested by', 'Requested', 'Approvals', 'Gates', <span className="visually-hidden">Open</span>]}>
          {page.items.map((release) => (
            <tr key={release.id} data-testid={`release-${release.id}`}>
              <td className="nowrap">
                <Link href={`/releases/${release.id}`}><strong>{release.model}</strong></Link>
              </td>
              <td>
                <Link href={`/models/${release.model}/versions/${release.version}`}>v{release.version}</Link>
              </td>
              <td>{release.environment}</td>
              <td>
                <StatusBadge status={release.status} />
                {release.isRollback ? <span className="badge warn">rollback</span> : null}
              </td>
              <td>
                {release.requestedBy ?? <span className="muted">unknown</span>}
                {release.requestedBy === actor.email ? <span className="badge">you</span> : null}
              </td>
              <td className="nowrap"><Time value={release.requestedAt} /></td>
              <td className="nowrap">
                {release.requiredApprovals === 0 || release.isRollback ? (
                  <span className="muted">not needed</span>
                ) : (
                  `${release.approvals}/${release.requiredApprovals}`
                )}
              </td>
              <td>{release.isRollback ? <span className="muted">—</span> : <GateSummary gates={release.gates} />}</td>
              <td>
                <Link className="btn small" href={`/releases/${release.id}`} aria-label={`Open ${release.model} v${release.version} → ${release.environment}`}>
                  {release.status === 'pending_approval' ? 'Review' : 'Open'}
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.nextCursor ? (
        <p>
          <Link className="btn" href={`/releases?${new URLSearchParams([...new URLSearchParams(tabHref(query.status).split('?')[1] ?? ''), ['cursor', page.nextCursor]])}`}>
            Older releases →
          </Link>
        </p>
      ) : null}
    </>
  );
}
