import Link from 'next/link';
import { Fragment } from 'react';
import { notFound } from 'next/navigation';
import { EnvironmentLanes } from '@/components/registry/environment-lanes';
import { KeyMetrics } from '@/components/registry/metric-value';
import { ModelMeta } from '@/components/registry/model-meta';
import { ModelTabs } from '@/components/registry/model-tabs';
import { PromoteForm } from '@/components/registry/promote-form';
import { StatusBadge } from '@/components/releases/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listModelEndpoints } from '@/lib/server/deployments/list-model-endpoints';
import { orNotFound } from '@/lib/server/http/page-data';
import { getModel } from '@/lib/server/registry/get-model';
import { ZModelName } from '@/lib/validation/registry';
import { DataTable } from '@/components/ui/data-table';
import { ModelRetraining } from '@/components/alerts/model-retraining';
import { listRetrainingRequests } from '@/lib/server/retraining/list-retraining-requests';
import { RetentionForm } from '@/components/registry/retention-form';
import { getRetention } from '@/lib/server/monitoring/get-retention';

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params) {
  return { title: (await params).name };
}

export default async function ModelPage({ params }: Params) {
  const { name } = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/models/${encodeURIComponent(name)}`, 'models:read');
  if (!allowed) return <Forbidden permission="models:read" />;
  if (!ZModelName.safeParse(name).success) notFound();
  const model = await orNotFound(getModel(name));
  const [deployments, retraining, retention] = await Promise.all([
    listModelEndpoints(model.name),
    can(actor.roles, 'alerts:read') ? listRetrainingRequests({ model: model.name }) : [],
    getRetention(model.name),
  ]);
  const environments = model.environments.map((lane) => lane.environment);
  const canPromote = can(actor.roles, 'releases:request');

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/models">Models</Link> /
      </p>
      <PageHeader title={model.name} description={model.description || <span className="muted">No description.</span>} />
      <ModelTabs model={model.name} current="overview" />
      <ModelMeta model={model} />

      <EnvironmentLanes model={model.name} lanes={model.environments} deployments={deployments} canRollback={can(actor.roles, 'deployments:operate')} />

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions ({model.versions.length})</h2>
        {model.versions.length === 0 ? (
          <EmptyState title="No versions yet.">
            <p>
              Register one from your training pipeline: <code>POST /api/v1/models/{model.name}/versions</code>.
            </p>
          </EmptyState>
        ) : (
          <DataTable label="Versions" columns={['Version', 'Status', 'Format', 'Key metrics', 'Parent', 'Live in', 'Created']}>
            {model.versions.map((version) => (
              <Fragment key={version.version}>
                <tr data-testid={`version-${version.version}`} className={canPromote && version.status === 'active' ? 'has-subrow' : undefined}>
                  <td>
                    <Link href={`/models/${model.name}/versions/${version.version}`}><strong>v{version.version}</strong></Link>
                  </td>
                  <td>
                    <span className={`badge ${version.status === 'active' ? '' : 'danger'}`}>{version.status}</span>
                  </td>
                  <td>{version.format ?? <span className="muted">—</span>}</td>
                  <td><KeyMetrics metrics={version.metrics} /></td>
                  <td>
                    {version.parentVersion ? (
                      <Link href={`/models/${model.name}/versions/${version.parentVersion}`}>v{version.parentVersion}</Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {version.live.length === 0 ? <span className="muted">—</span> : version.live.map((env) => (
                      <span key={env} className="badge ok">{env}</span>
                    ))}
                  </td>
                  <td className="nowrap"><Time value={version.createdAt} /></td>
                </tr>
                {canPromote && version.status === 'active' ? (
                  <tr className="subrow">
                    <td colSpan={7}>
                      <PromoteSubrow model={model.name} version={version} environments={environments} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </DataTable>
        )}
      </section>

      <ModelRetraining requests={retraining} />

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Release history</h2>
        {model.history.length === 0 ? (
          <EmptyState title="No releases yet." />
        ) : (
          <DataTable label="Release history" columns={['Environment', 'Version', 'Status', 'Strategy', 'Requested', 'Live at', 'Ended', <span className="visually-hidden">Details</span>]}>
            {model.history.map((release) => (
              <tr key={release.id}>
                <td>{release.environment}</td>
                <td>
                  <Link href={`/models/${model.name}/versions/${release.version}`}>v{release.version}</Link>
                </td>
                <td>
                  <StatusBadge status={release.status} />
                  {release.isRollback ? <span className="badge warn" title="Restored by a rollback">rollback</span> : null}
                </td>
                <td>{release.strategy}</td>
                <td className="nowrap"><Time value={release.requestedAt} /></td>
                <td className="nowrap">{release.liveAt ? <Time value={release.liveAt} /> : <span className="muted">—</span>}</td>
                <td className="nowrap">{release.endedAt ? <Time value={release.endedAt} /> : <span className="muted">—</span>}</td>
                <td>
                  <Link href={`/releases/${release.id}`} aria-label={`Release of v${release.version} to ${release.environment}`}>Details</Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        {can(actor.roles, 'models:write') ? (
          <RetentionForm model={model.name} days={retention.days} />
        ) : (
          <p data-testid="retention-readonly">
            Monitoring data (predictions, labels, chart data) is kept for <strong>{retention.days} days</strong>. Engineers and
            admins can change this.
          </p>
        )}
      </section>
    </>
  );
}

/**
 * The promote form, offering only environments where the version is neither live nor already
 * requested (the server refuses those: 409 already_live / request_open).
 */
function PromoteSubrow(props: { model: string; version: { version: number; live: string[]; requested: string[] }; environments: string[] }) {
  const { version } = props;
  const open = props.environments.filter((env) => !version.live.includes(env) && !version.requested.includes(env));
  if (open.length === 0) {
    return (
      <p className="muted small">
        v{version.version} is live or requested in every environment; nothing to promote.
      </p>
    );
  }
  // The next environment after the furthest one it has reached, else the first still open.
  const reached = Math.max(-1, ...[...version.live, ...version.requested].map((env) => props.environments.indexOf(env)));
  const next = open.find((env) => props.environments.indexOf(env) > reached) ?? open[0]!;
  return <PromoteForm model={props.model} version={version.version} environments={open} defaultEnvironment={next} />;
}
