import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatNumber, MetricDelta } from '@/components/registry/metric-value';
import { CancelReleaseButton } from '@/components/releases/cancel-release-button';
import { GatesTable } from '@/components/releases/gates-table';
import { ReleaseEvidence } from '@/components/releases/release-evidence';
import { ReleaseStatusBadge } from '@/components/releases/release-status-badge';
import { ReviewPanel } from '@/components/releases/review-panel';
import { RolloutProgress } from '@/components/releases/rollout-progress';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { orNotFound } from '@/lib/server/http/page-data';
import { getRelease } from '@/lib/server/promotions/get-release';
import { ZReleaseParams } from '@/lib/validation/registry';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Release' };

export default async function ReleasePage({ params }: { params: Promise<{ id: string }> }) {
  const raw = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/releases/${encodeURIComponent(raw.id)}`, 'releases:read');
  if (!allowed) return <Forbidden permission="releases:read" />;
  const parsed = ZReleaseParams.safeParse(raw);
  if (!parsed.success) notFound();
  const release = await orNotFound(getRelease(parsed.data.id));

  const pending = release.status === 'pending_approval';
  const isRequester = release.requestedById === actor.id;
  const canReview = pending && can(actor.roles, 'releases:review');
  const isAuthor = release.environmentRules.authorCannotApprove && release.versionAuthorId === actor.id;
  const canCancel =
    (pending || release.status === 'approved') && can(actor.roles, 'releases:request') && (isRequester || actor.roles.includes('admin'));
  const strategy =
    release.strategy.type === 'canary' && release.strategy.steps?.length
      ? `canary (${release.strategy.steps.map((s) => `${s}%`).join(' → ')}${release.strategy.intervalSeconds ? `, every ${release.strategy.intervalSeconds} s` : ''})`
      : release.strategy.type === 'shadow'
        ? `shadow (${release.strategy.percent ?? 100}% mirrored)`
        : release.strategy.type;
  const gatesOpen = pending || release.status === 'approved';

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/releases">Releases</Link> /
      </p>
      <PageHeader
        title={`${release.model} v${release.version} → ${release.environment}`}
        description={release.isRollback ? 'A rollback: the previously live version was put back.' : 'A promotion request and its evidence.'}
        actions={<ReleaseStatusBadge id={release.id} status={release.status} />}
      />

      <section className="panel" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="visually-hidden">Summary</h2>
        <dl className="meta">
          <div>
            <dt>Model</dt>
            <dd><Link href={`/models/${release.model}`}>{release.model}</Link></dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>
              <Link href={`/models/${release.model}/versions/${release.version}`}>v{release.version}</Link>
              {release.versionAuthor ? <span className="muted small"> by {release.versionAuthor}</span> : null}
            </dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>{release.environment}</dd>
          </div>
          <div>
            <dt>Strategy</dt>
            <dd>{strategy}</dd>
          </div>
          <div>
            <dt>Requested by</dt>
            <dd>
              {release.requestedBy ?? <span className="muted">unknown</span>}
              {isRequester ? <span className="badge">you</span> : null}
            </dd>
          </div>
          <div>
            <dt>Requested</dt>
            <dd><Time value={release.requestedAt} mode="both" /></dd>
          </div>
          <div>
            <dt>Approvals</dt>
            <dd>
              {release.isRollback
                ? 'not needed (the restored version was approved before)'
                : release.requiredApprovals === 0
                  ? 'not needed'
                  : `${release.approvals} of ${release.requiredApprovals}`}
            </dd>
          </div>
          {release.approvedAt ? (
            <div>
              <dt>Approved</dt>
              <dd><Time value={release.approvedAt} mode="both" /></dd>
            </div>
          ) : null}
          {release.liveAt ? (
            <div>
              <dt>Live</dt>
              <dd><Time value={release.liveAt} mode="both" /></dd>
            </div>
          ) : null}
          {release.endedAt ? (
            <div>
              <dt>Ended</dt>
              <dd><Time value={release.endedAt} mode="both" /></dd>
            </div>
          ) : null}
        </dl>
        {release.note ? (
          <div className="note">
            <strong>Note from the requester</strong>
            <p>{release.note}</p>
          </div>
        ) : null}
        {release.statusReason ? (
          <div
            className={`notice ${release.status === 'failed' || release.status === 'rejected' || release.status === 'aborted' ? 'danger' : 'warn'}`}
            role="status"
            data-testid="release-status-reason"
          >
            {release.status === 'rejected' ? 'Rejected: ' : ''}
            {release.statusReason}
          </div>
        ) : null}
      </section>

      {release.rollout || release.status === 'approved' || release.status === 'deploying' ? (
        <section className="panel" aria-labelledby="rollout-heading">
          <h2 id="rollout-heading">Rollout</h2>
          <RolloutProgress
            id={release.id}
            status={release.status}
            strategy={release.strategy.type}
            version={release.version}
            rollout={release.rollout}
            shadowStats={release.shadowStats}
            canControl={can(actor.roles, 'deployments:operate')}
          />
        </section>
      ) : null}

      {pending || canCancel ? (
        <section className="panel" aria-labelledby="decision-heading">
          <h2 id="decision-heading">Decision</h2>
          {pending && isRequester ? (
            <div className="notice warn" role="status" data-testid="self-approval-notice">
              You requested this release; another reviewer must approve it.
            </div>
          ) : null}
          {canReview && !isRequester ? (
            <>
              {isAuthor ? (
                <div className="notice warn" role="status">
                  You registered v{release.version}; {release.environment} needs a reviewer who did not, so your approval will be refused.
                </div>
              ) : null}
              <ReviewPanel id={release.id} gatesFailed={release.gates.some((g) => g.status === 'failed')} />
            </>
          ) : null}
          {pending && !isRequester && !can(actor.roles, 'releases:review') ? (
            <p className="muted">Waiting for a reviewer. Your roles cannot approve releases.</p>
          ) : null}
          {canCancel ? <CancelReleaseButton id={release.id} /> : null}
        </section>
      ) : null}

      {gatesOpen ? (
        <>
        <section aria-labelledby="gates-heading">
          <h2 id="gates-heading">
            Gates <span className="muted small">(evaluated now)</span>
          </h2>
          <GatesTable gates={release.gates} />
        </section>

        <section aria-labelledby="vs-live-heading">
          <h2 id="vs-live-heading">Metrics vs the live version <span className="muted small">(now)</span></h2>
          <p className="muted">
            {release.liveVersion ? (
              <>
                Live in {release.environment}:{' '}
                <Link href={`/models/${release.model}/versions/${release.liveVersion.version}`}>v{release.liveVersion.version}</Link>
                {release.liveVersion.since ? (
                  <>
                    {' '}since <Time value={release.liveVersion.since} mode="both" />
                  </>
                ) : null}
                .
              </>
            ) : (
              <>Nothing else is live in {release.environment}, so there is nothing to compare with.</>
            )}
          </p>
          {release.liveVersion && release.comparison.metrics.length > 0 ? (
            <DataTable label="Metrics vs the live version" columns={['Metric', <>Live (v{release.liveVersion.version})</>, <>This version (v{release.version})</>, 'Delta']}>
              {release.comparison.metrics.map((metric) => (
                <tr key={metric.name}>
                  <td>{metric.name}</td>
                  <td className="mono">{formatNumber(metric.base)}</td>
                  <td className="mono">{formatNumber(metric.other)}</td>
                  <td className="mono"><MetricDelta metric={metric.name} delta={metric.delta} /></td>
                </tr>
              ))}
            </DataTable>
          ) : !release.liveVersion && release.comparison.metrics.length > 0 ? (
            <div className="table-wrap">
              <table className="table" aria-label="Metrics of this version">
                <thead>
                  <tr><th scope="col">Metric</th><th scope="col">This version (v{release.version})</th></tr>
                </thead>
                <tbody>
                  {release.comparison.metrics.map((metric) => (
                    <tr key={metric.name}><td>{metric.name}</td><td className="mono">{formatNumber(metric.other)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : release.liveVersion ? (
            <p className="muted">Neither version reports metrics.</p>
          ) : null}
          {release.liveVersion && release.comparison.params.some((p) => p.change !== 'same') ? (
            <details>
              <summary>Parameter changes ({release.comparison.params.filter((p) => p.change !== 'same').length})</summary>
              <ul className="plain">
                {release.comparison.params.filter((p) => p.change !== 'same').map((p) => (
                  <li key={p.name} className="mono">
                    {p.name}: {p.change === 'added' ? `added ${JSON.stringify(p.other)}` : p.change === 'removed' ? `removed (was ${JSON.stringify(p.base)})` : `${JSON.stringify(p.base)} → ${JSON.stringify(p.other)}`}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
        </>
      ) : null}

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">
          Evidence <span className="muted small">(as recorded at the time)</span>
        </h2>
        {release.isRollback ? (
          <p className="muted">A rollback puts back a version that was approved before; it has no evidence of its own.</p>
        ) : (
          <ReleaseEvidence model={release.model} version={release.version} environment={release.environment} evidence={release.evidence} />
        )}
      </section>

      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews</h2>
        {release.reviews.length === 0 ? (
          <EmptyState title={pending ? 'No reviews yet.' : 'No reviews.'} />
        ) : (
          <DataTable label="Reviews" columns={['Reviewer', 'Decision', 'Comment', 'When']}>
            {release.reviews.map((review, index) => (
              <tr key={`${review.reviewer}-${index}`}>
                <td>{review.reviewer ?? <span className="muted">deleted user</span>}</td>
                <td>
                  <span className={`badge ${review.decision === 'approve' ? 'ok' : 'danger'}`}>
                    {review.decision === 'approve' ? 'approved' : 'rejected'}
                  </span>
                </td>
                <td className="pre-wrap">{review.comment || <span className="muted">—</span>}</td>
                <td className="nowrap"><Time value={review.at} mode="both" /></td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
