import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArchiveVersionButton } from '@/components/registry/archive-version-button';
import { EdgeBundleLink } from '@/components/registry/edge-bundle-link';
import { VersionToolLinks } from '@/components/registry/version-tool-links';
import { Markdown } from '@/components/registry/markdown';
import { ValueText } from '@/components/ui/number-text';
import { VersionComparison } from '@/components/registry/version-comparison';
import { StatusBadge } from '@/components/releases/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { orNotFound } from '@/lib/server/http/page-data';
import { compareVersions } from '@/lib/server/registry/compare-versions';
import { getModel } from '@/lib/server/registry/get-model';
import { getVersion } from '@/lib/server/registry/get-version';
import { ZVersionParams } from '@/lib/validation/registry';
import { ZCompareQuery } from '@/lib/validation/registry-forms';
import { DataTable } from '@/components/ui/data-table';
import { VersionBatchSection } from '@/components/batch/version-batch-section';

type Props = {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  const { name, version } = await params;
  return { title: `${name} v${version}` };
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]} (${size.toLocaleString()} bytes)`;
}

export default async function VersionPage({ params, searchParams }: Props) {
  const raw = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/models/${encodeURIComponent(raw.name)}/versions/${encodeURIComponent(raw.version)}`, 'models:read');
  if (!allowed) return <Forbidden permission="models:read" />;
  const parsed = ZVersionParams.safeParse(raw);
  if (!parsed.success) notFound();
  const { name, version: number } = parsed.data;

  const [version, model] = await Promise.all([orNotFound(getVersion(name, number)), orNotFound(getModel(name, { historyLimit: 0 }))]);
  const query = await searchParams;
  const compareWith = ZCompareQuery.safeParse({ compare: typeof query.compare === 'string' && query.compare !== '' ? query.compare : undefined });
  const otherNumber = compareWith.success ? compareWith.data.compare : undefined;
  const other = otherNumber !== undefined && otherNumber !== number ? await getVersion(name, otherNumber).catch(() => null) : null;
  const others = model.versions.filter((v) => v.version !== number);
  const metrics = Object.entries(version.metrics).sort(([a], [b]) => a.localeCompare(b));
  const paramEntries = Object.entries(version.params).sort(([a], [b]) => a.localeCompare(b));
  const artifactUrl = `/api/v1/models/${name}/versions/${number}/artifact`;
  const summary = model.versions.find((v) => v.version === number);
  const inUse = { live: summary?.live ?? [], requested: summary?.requested ?? [] };

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/models">Models</Link> / <Link href={`/models/${name}`}>{name}</Link> /
      </p>
      <PageHeader
        title={`${name} v${number}`}
        description={
          <>
            <span className={`badge ${version.status === 'active' ? '' : 'danger'}`} data-testid="version-status">{version.status}</span>
            {version.format ? <span className="badge">{version.format}</span> : null} registered <Time value={version.createdAt} mode="both" />
          </>
        }
        actions={can(actor.roles, 'models:write') && version.status === 'active' ? <ArchiveAction model={name} version={number} inUse={inUse} /> : null}
      />
      <VersionToolLinks model={name} version={number} />

      <div className="grid-2">
        <section className="panel" aria-labelledby="metrics-heading">
          <h2 id="metrics-heading">Metrics</h2>
          {metrics.length === 0 ? (
            <p className="muted">No metrics were registered.</p>
          ) : (
            <table className="table compact" aria-labelledby="metrics-heading">
              <thead>
                <tr><th scope="col">Metric</th><th scope="col">Value</th></tr>
              </thead>
              <tbody>
                {metrics.map(([metric, value]) => (
                  <tr key={metric}><td>{metric}</td><td className="mono"><ValueText value={value} /></td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="params-heading">
          <h2 id="params-heading">Parameters</h2>
          {paramEntries.length === 0 ? (
            <p className="muted">No parameters were registered.</p>
          ) : (
            <table className="table compact" aria-labelledby="params-heading">
              <thead>
                <tr><th scope="col">Parameter</th><th scope="col">Value</th></tr>
              </thead>
              <tbody>
                {paramEntries.map(([param, value]) => (
                  <tr key={param}><td>{param}</td><td className="mono"><ValueText value={value} /></td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="provenance-heading">
        <h2 id="provenance-heading">Artifact and provenance</h2>
        <dl className="meta vertical">
          <div>
            <dt>Artifact</dt>
            <dd>
              {version.artifact.stored ? (
                <>
                  <span className="badge ok">stored</span> <a href={artifactUrl} download>Download artifact</a>
                  <EdgeBundleLink model={name} version={number} format={version.format} stored={version.artifact.stored} />
                </>
              ) : (
                <span className="badge">not stored here</span>
              )}
            </dd>
          </div>
          <div>
            <dt>URI</dt>
            <dd className="mono break">{version.artifact.uri ?? <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>sha256</dt>
            <dd className="mono break">{version.artifact.sha256 ?? <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{version.artifact.size !== null ? formatBytes(version.artifact.size) : <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>Git commit</dt>
            <dd className="mono">{version.gitCommit ?? <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>Training dataset</dt>
            <dd className="mono break">{version.dataset ?? <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>Parent version</dt>
            <dd>
              {version.parentVersion ? (
                <Link href={`/models/${name}/versions/${version.parentVersion}`}>v{version.parentVersion}</Link>
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
          </div>
        </dl>
      </section>

      <VersionBatchSection model={name} version={number} format={version.format} stored={version.artifact.stored} canRun={can(actor.roles, 'deployments:operate')} />

      <section aria-labelledby="features-heading">
        <h2 id="features-heading">Features ({version.features.length})</h2>
        {version.features.length === 0 ? (
          <p className="muted">No feature schema was registered.</p>
        ) : (
          <details open={version.features.length <= 20}>
            <summary>{version.features.length} features</summary>
            <div className="table-wrap">
              <table className="table compact" aria-label="Features">
                <thead>
                  <tr><th scope="col">Name</th><th scope="col">Type</th></tr>
                </thead>
                <tbody>
                  {version.features.map((feature) => (
                    <tr key={feature.name}><td className="mono">{feature.name}</td><td>{feature.type}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </section>

      <section aria-labelledby="card-heading">
        <h2 id="card-heading">Model card</h2>
        {version.modelCard.trim() ? (
          <div className="panel">
            <Markdown source={version.modelCard} label="Model card" />
          </div>
        ) : (
          <p className="muted">No model card.</p>
        )}
      </section>

      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Where it has been live</h2>
        {version.liveHistory.length === 0 ? (
          <p className="muted">v{number} has not been live anywhere yet.</p>
        ) : (
          <DataTable label="Live history" columns={['Environment', 'Status', 'Live from', 'Until', <span className="visually-hidden">Release</span>]}>
            {version.liveHistory.map((entry) => (
              <tr key={entry.releaseId}>
                <td>{entry.environment}</td>
                <td><StatusBadge status={entry.status} /></td>
                <td className="nowrap"><Time value={entry.liveAt} mode="both" /></td>
                <td className="nowrap">{entry.endedAt ? <Time value={entry.endedAt} mode="both" /> : <span className="muted">still live</span>}</td>
                <td><Link href={`/releases/${entry.releaseId}`}>Release</Link></td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="compare-heading">
        <h2 id="compare-heading">Compare with another version</h2>
        {others.length === 0 ? (
          <EmptyState title="There is no other version to compare with." />
        ) : (
          <>
            <form className="panel inline" method="get" aria-label="Compare versions">
              <div className="field">
                <label htmlFor="compare">Compare v{number} with</label>
                <select id="compare" name="compare" defaultValue={other ? String(other.version) : ''}>
                  <option value="" disabled>Choose a version</option>
                  {others.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                      {v.live.length ? ` (live in ${v.live.join(', ')})` : ''}
                    </option>
                  ))}
                </select>
              </div>
              <button className="btn primary" type="submit">Compare</button>
              {other ? <Link className="btn" href={`/models/${name}/versions/${number}`}>Clear</Link> : null}
            </form>
            {otherNumber !== undefined && !other ? (
              <div className="notice warn" role="status">
                {otherNumber === number ? `That is v${number} itself.` : `${name} has no version ${otherNumber}.`}
              </div>
            ) : null}
            {other ? (
              <VersionComparison
                model={name}
                baseVersion={other.version}
                baseLabel={`v${other.version}`}
                otherLabel={`v${number} (this)`}
                comparison={compareVersions(other, version)}
              />
            ) : null}
          </>
        )}
      </section>
    </>
  );
}

/** Archiving is offered only when the server would accept it: not live, no open release. */
function ArchiveAction(props: { model: string; version: number; inUse: { live: string[]; requested: string[] } }) {
  const { live, requested } = props.inUse;
  if (live.length === 0 && requested.length === 0) return <ArchiveVersionButton model={props.model} version={props.version} />;
  return (
    <p className="muted small" data-testid="archive-unavailable">
      {live.length > 0 ? `Live in ${live.join(', ')}` : `Requested for ${requested.join(', ')}`}: it can be archived once it is
      no longer live or being released.
    </p>
  );
}
