import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ProbePanel } from '@/components/decisions/probe-panel';
import { Forbidden } from '@/components/ui/forbidden';
import { formatNumber } from '@/components/ui/number-text';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { optionLabel } from '@/lib/decisions/matrix';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { getDecisionMatrix } from '@/lib/server/decisions/get-decision-matrix';
import { listModelEndpoints } from '@/lib/server/deployments/list-model-endpoints';
import { orNotFound } from '@/lib/server/http/page-data';
import { validationError } from '@/lib/server/http/problem';
import { getModel } from '@/lib/server/registry/get-model';
import { ZDecisionQuery, type DecisionOption } from '@/lib/validation/decisions';
import { ZVersionParams } from '@/lib/validation/registry';

type Props = {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  const { name, version } = await params;
  return { title: `Deployment options · ${name} v${version}` };
}

const BASIS_LABEL = { measured: 'measured', estimated: 'estimated', not_measured: 'not measured' } as const;

function Figure({ figure, unit }: { figure: DecisionOption['p50Ms']; unit: string }) {
  return (
    <span title={figure.note}>
      {figure.value === null ? <span className="muted">{figure.basis === 'not_measured' ? '—' : 'hours'}</span> : <span className="mono">{formatNumber(figure.value)} {unit}</span>}{' '}
      <span className={`badge ${figure.basis === 'measured' ? 'ok' : ''}`}>{BASIS_LABEL[figure.basis]}</span>
    </span>
  );
}

export default async function DeploymentOptionsPage({ params, searchParams }: Props) {
  const raw = await params;
  const path = `/models/${encodeURIComponent(raw.name)}/versions/${encodeURIComponent(raw.version)}/deployment`;
  const { actor, allowed } = await pageActorOrRedirect(path, 'models:read');
  if (!allowed) return <Forbidden permission="models:read" />;
  const parsed = ZVersionParams.safeParse(raw);
  if (!parsed.success) notFound();
  const { name, version } = parsed.data;
  const query = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  const traffic = ZDecisionQuery.safeParse(query);
  const problem = traffic.success ? null : validationError(traffic.error, 'query').message;
  const inputs = traffic.success ? traffic.data : ZDecisionQuery.parse({});
  const [matrix, model, endpoints] = await Promise.all([orNotFound(getDecisionMatrix(name, version, inputs)), orNotFound(getModel(name, { historyLimit: 0 })), listModelEndpoints(name)]);
  const servedIn = Object.keys(endpoints).filter((environment) => model.versions.some((v) => v.version === version && v.live.includes(environment)));
  const exportQuery = new URLSearchParams({
    requestsPerMonth: String(inputs.requestsPerMonth),
    peakRps: String(inputs.peakRps),
    latencyTargetMs: String(inputs.latencyTargetMs),
    offline: String(inputs.offline),
  });
  const exportBase = `/api/v1/models/${encodeURIComponent(name)}/versions/${version}/deployment-options/export?${exportQuery}`;
  const recommended = matrix.recommendation.option;

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/models">Models</Link> / <Link href={`/models/${name}`}>{name}</Link> / <Link href={`/models/${name}/versions/${version}`}>v{version}</Link> /
      </p>
      <PageHeader
        title={`Deployment options for ${name} v${version}`}
        description="Each way to run this version, side by side: latency and throughput measured here where the option runs here, estimated (with the basis) where it cannot."
        actions={
          <>
            <a className="btn" href={`${exportBase}&format=markdown`} download data-testid="export-markdown">Export Markdown</a>
            <a className="btn" href={`${exportBase}&format=csv`} download data-testid="export-csv">Export CSV</a>
          </>
        }
      />
      <form className="panel inline" method="get" aria-label="Expected traffic">
        <div className="field">
          <label htmlFor="requestsPerMonth">Requests a month</label>
          <input id="requestsPerMonth" name="requestsPerMonth" type="number" min={0} step="any" defaultValue={inputs.requestsPerMonth} />
        </div>
        <div className="field">
          <label htmlFor="peakRps">Peak requests/s</label>
          <input id="peakRps" name="peakRps" type="number" min={0} step="any" defaultValue={inputs.peakRps} />
        </div>
        <div className="field">
          <label htmlFor="latencyTargetMs">p95 target (ms)</label>
          <input id="latencyTargetMs" name="latencyTargetMs" type="number" min={0} step="any" defaultValue={inputs.latencyTargetMs} />
        </div>
        <label className="inline-check">
          <input type="checkbox" name="offline" value="true" defaultChecked={inputs.offline} /> Must work offline
        </label>
        <button className="btn primary" type="submit">Update</button>
      </form>
      {problem ? <div className="notice danger" role="alert">{problem} The defaults are shown instead.</div> : null}
      {!matrix.prices.configured ? (
        <p className="notice warn" role="note">
          No unit prices are set, so costs are left out.{' '}
          {can(actor.roles, 'backends:manage') ? <Link href="/admin/prices">Enter unit prices</Link> : 'An admin can enter them under Admin → Unit prices.'}
        </p>
      ) : null}

      <section className="panel" aria-labelledby="recommendation-heading" data-testid="recommendation">
        <h2 id="recommendation-heading">Recommendation: {recommended ? optionLabel(recommended) : 'none of the options yet'}</h2>
        <ul>
          {matrix.recommendation.reasons.map((reason) => <li key={reason}>{reason}</li>)}
        </ul>
      </section>

      <div className="table-wrap">
        <table className="table min-wide" aria-label="Deployment options" data-testid="decision-matrix">
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">Throughput / replica</th>
              <th scope="col">Replicas</th>
              <th scope="col">Monthly cost</th>
              <th scope="col">Residency and scaling</th>
            </tr>
          </thead>
          <tbody>
            {matrix.options.map((o) => (
              <tr key={o.id} data-testid={`option-${o.id}`}>
                <td>
                  <strong>{optionLabel(o.id)}</strong> {recommended === o.id ? <span className="badge ok">recommended</span> : null}
                  <div className="muted small">{o.backend} · {o.mode}</div>
                  {o.meetsLatency === false ? <div className="small error">misses the p95 target</div> : null}
                </td>
                <td><Figure figure={o.p50Ms} unit="ms" /></td>
                <td><Figure figure={o.p95Ms} unit="ms" /></td>
                <td><Figure figure={o.throughputRps} unit="/s" /></td>
                <td className="mono">{o.replicas ?? '—'}</td>
                <td>
                  {o.monthlyCost ? (
                    <span title={`compute ${o.monthlyCost.compute.toFixed(2)} + storage ${o.monthlyCost.storage.toFixed(2)} + requests ${o.monthlyCost.requests.toFixed(2)}`}>
                      <span className="mono">{o.monthlyCost.total.toFixed(2)} {o.monthlyCost.currency}</span>
                      <div className="muted small">{o.monthlyCost.basis}</div>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="small">{o.residency} {o.scaling}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">Hover a figure for where it comes from. Estimated figures state their basis; KServe, batch and streaming cannot run on this machine.</p>

      <section aria-labelledby="probes-heading">
        <h2 id="probes-heading">Load probes</h2>
        <ProbePanel model={name} version={version} probes={matrix.probes} environments={servedIn} canStart={can(actor.roles, 'deployments:operate')} targetP95Ms={inputs.latencyTargetMs} />
      </section>
    </>
  );
}
