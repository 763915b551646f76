import Link from 'next/link';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { listAuditEntries } from '@/lib/server/audit/list-audit-entries';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { ZAuditQuery } from '@/lib/validation/audit';
import { parseListSearchParams, type PageSearchParams } from '@/lib/server/http/search-params';
import { QueryIssues } from '@/components/ui/query-issues';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Audit' };

const FILTERS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to'] as const;

export default async function AuditPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { allowed } = await pageActorOrRedirect('/audit', 'audit:read');
  if (!allowed) return <Forbidden permission="audit:read" />;

  const { raw, query, filters: filterParams, issues } = await parseListSearchParams(searchParams, ZAuditQuery, FILTERS);
  const page = await listAuditEntries(query);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and what it was before and after. Append-only and hash-chained."
        actions={<VerifyChainButton />}
      />
      <form className="panel inline" method="get" aria-label="Filter audit entries">
        <div className="field">
          <label htmlFor="f-actor">Actor e-mail</label>
          <input id="f-actor" name="actor" defaultValue={raw.actor} />
        </div>
        <div className="field">
          <label htmlFor="f-action">Action</label>
          <input id="f-action" name="action" defaultValue={raw.action} placeholder="user. or user.create" />
        </div>
        <div className="field">
          <label htmlFor="f-target">Target type</label>
          <input id="f-target" name="targetType" defaultValue={raw.targetType} placeholder="user" />
        </div>
        <div className="field">
          <label htmlFor="f-from">From (UTC)</label>
          <input id="f-from" name="from" defaultValue={raw.from} placeholder="2026-01-01T00:00:00Z" />
        </div>
        <div className="field">
          <label htmlFor="f-to">To (UTC)</label>
          <input id="f-to" name="to" defaultValue={raw.to} placeholder="2026-02-01T00:00:00Z" />
        </div>
        <button className="btn primary" type="submit">Filter</button>
        <Link className="btn" href="/audit">Clear</Link>
        <a className="btn" href={`/api/v1/audit/export?${filterParams}`} download>
          Export CSV
        </a>
      </form>
      <QueryIssues issues={issues} />
      {page.items.length === 0 ? (
        <EmptyState title="No audit entries match." />
      ) : (
        <DataTable label="Audit entries" columns={['#', 'When', 'Who', 'Action', 'Target', 'Change']}>
          {page.items.map((entry) => (
            <tr key={entry.seq.toString()}>
              <td className="mono">{entry.seq.toString()}</td>
              <td className="nowrap">{entry.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td>{entry.actorEmail ?? <span className="muted">system</span>}</td>
              <td className="mono">{entry.action}</td>
              <td>
                {entry.targetType}
                {entry.targetId ? <div className="muted mono">{entry.targetId}</div> : null}
              </td>
              <td>
                <details>
                  <summary>before → after</summary>
                  <pre>{JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}</pre>
                  <div className="muted mono">request {entry.requestId ?? '—'} · hash {entry.hash.slice(0, 16)}…</div>
                </details>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.nextCursor ? (
        <p>
          <Link className="btn" href={`/audit?${new URLSearchParams([...filterParams, ['cursor', page.nextCursor]])}`}>
            Older entries →
          </Link>
        </p>
      ) : null}
    </>
  );
}
