import Link from 'next/link';
import { AlertActionButton } from '@/components/alerts/alert-action-button';
import { AlertStatusBadge, SeverityBadge } from '@/components/alerts/severity-badge';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { describeSignal } from '@/lib/server/alerts/describe-signal';
import { listAlerts, sortOpenFirst } from '@/lib/server/alerts/list-alerts';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { ZListAlertsQuery, type Signal } from '@/lib/validation/alerts';

export const metadata = { title: 'Alerts' };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, allowed } = await pageActorOrRedirect('/alerts', 'alerts:read');
  if (!allowed) return <Forbidden permission="alerts:read" />;
  const raw = await searchParams;
  const parsed = ZListAlertsQuery.safeParse({
    status: typeof raw.status === 'string' && raw.status !== '' ? raw.status : 'open',
    severity: typeof raw.severity === 'string' && raw.severity !== '' ? raw.severity : undefined,
    model: typeof raw.model === 'string' && raw.model !== '' ? raw.model : undefined,
    limit: 200,
  });
  const query = parsed.success ? parsed.data : ZListAlertsQuery.parse({ status: 'open', limit: 200 });
  const items = sortOpenFirst((await listAlerts(query)).items);
  const mayAct = can(actor.roles, 'alerts:manage');
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Open alerts first, critical and oldest at the top. Rules fire when a monitored signal crosses its threshold."
        actions={<Link className="btn" href="/alerts/rules">Alert rules</Link>}
      />
      <form className="inline filters" method="get" aria-label="Filter alerts">
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={query.status ?? 'open'}>
            <option value="open">Open</option>
            <option value="firing">Firing</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-severity">Severity</label>
          <select id="f-severity" name="severity" defaultValue={query.severity ?? ''}>
            <option value="">Any severity</option>
            <option value="critical">Critical</option>
            <option value="warning">Warning</option>
            <option value="info">Info</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-model">Model</label>
          <input id="f-model" name="model" defaultValue={query.model ?? ''} placeholder="churn-predictor" />
        </div>
        <button type="submit" className="btn">Filter</button>
      </form>
      {items.length === 0 ? (
        <EmptyState title={query.status === 'open' || !query.status ? 'No open alerts.' : 'No alerts match these filters.'}>
          <p>
            Alerts appear here when a rule fires. {mayAct ? <Link href="/alerts/rules/new">Create a rule</Link> : 'Engineers create rules'} to watch drift, errors,
            latency, a metric or traffic; see <Link href="/alerts/rules">all rules</Link>.
          </p>
        </EmptyState>
      ) : (
        <DataTable label="Alerts" columns={['Severity', 'Alert', 'Model', 'Value', 'Status', 'Fired', <span key="a" className="visually-hidden">Actions</span>]}>
          {items.map((alert) => (
            <tr key={alert.id} data-testid={`alert-${alert.id}`}>
              <td><SeverityBadge severity={alert.severity} /></td>
              <td>
                <Link href={`/alerts/${alert.id}`}>{alert.ruleName}</Link>
                <div className="muted">{describeSignal(alert.signal as Signal)}</div>
              </td>
              <td>
                {alert.model} <span className="muted">({alert.environment})</span>
              </td>
              <td className="mono">
                {alert.value.toPrecision(4)} {alert.comparator} {alert.threshold}
              </td>
              <td><AlertStatusBadge status={alert.status} /></td>
              <td><Time value={alert.firedAt} /></td>
              <td>{mayAct && alert.status === 'firing' ? <AlertActionButton id={alert.id} action="acknowledge" ruleName={alert.ruleName} /> : null}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
