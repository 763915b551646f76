import Link from 'next/link';
import { DeleteRuleButton, ToggleRuleButton } from '@/components/alerts/rule-buttons';
import { SeverityBadge } from '@/components/alerts/severity-badge';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { describeSignal } from '@/lib/server/alerts/describe-signal';
import { listRules } from '@/lib/server/alerts/list-rules';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import type { Signal } from '@/lib/validation/alerts';

export const metadata = { title: 'Alert rules' };

export default async function AlertRulesPage() {
  const { actor, allowed } = await pageActorOrRedirect('/alerts/rules', 'alerts:read');
  if (!allowed) return <Forbidden permission="alerts:read" />;
  const [rules, open] = await Promise.all([
    listRules(),
    db().alert.groupBy({ by: ['ruleId'], where: { status: { in: ['firing', 'acknowledged'] } }, _count: { _all: true } }),
  ]);
  const openByRule = new Map(open.map((row) => [row.ruleId, row._count._all]));
  const mayEdit = can(actor.roles, 'alerts:manage');
  return (
    <>
      <p>
        <Link href="/alerts">← Alerts</Link>
      </p>
      <PageHeader
        title="Alert rules"
        description="Each rule watches one signal of a model in one environment and fires when it crosses its threshold."
        actions={mayEdit ? <Link className="btn primary" href="/alerts/rules/new">New rule</Link> : undefined}
      />
      {rules.length === 0 ? (
        <EmptyState title="No alert rules yet.">
          <p>
            {mayEdit ? (
              <>
                <Link href="/alerts/rules/new">Create a rule</Link> to be told when drift, errors, latency, a metric or traffic crosses a threshold.
              </>
            ) : (
              'Engineers and admins create rules; ask one to watch the models you care about.'
            )}
          </p>
        </EmptyState>
      ) : (
        <DataTable label="Alert rules" columns={['Rule', 'Model', 'Condition', 'Severity', 'State', <span key="a" className="visually-hidden">Actions</span>]}>
          {rules.map((rule) => {
            const openAlerts = openByRule.get(rule.id) ?? 0;
            return (
              <tr key={rule.id} data-testid={`rule-${rule.name}`}>
                <td>
                  <Link href={`/alerts/rules/${rule.id}`}>{rule.name}</Link>
                  <div className="muted">{describeSignal(rule.signal as Signal)}</div>
                </td>
                <td>
                  {rule.model.name} <span className="muted">({rule.environmentName}{rule.versionNumber !== null ? `, v${rule.versionNumber}` : ''})</span>
                </td>
                <td className="mono">
                  {rule.comparator} {rule.threshold} over {rule.windowMinutes} min, ≥ {rule.minSamples} samples
                </td>
                <td><SeverityBadge severity={rule.severity as 'info' | 'warning' | 'critical'} /></td>
                <td>
                  {!rule.enabled ? 'Disabled' : rule.snoozedUntil && rule.snoozedUntil > new Date() ? <>Snoozed until <Time value={rule.snoozedUntil.toISOString()} /></> : 'Enabled'}
                  {openAlerts > 0 ? (
                    <div>
                      <Link href={`/alerts?status=open&model=${encodeURIComponent(rule.model.name)}`}>{openAlerts} open</Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  {mayEdit ? (
                    <div className="button-row">
                      <Link className="btn small" href={`/alerts/rules/${rule.id}`} aria-label={`Edit rule ${rule.name}`}>Edit</Link>
                      <ToggleRuleButton id={rule.id} name={rule.name} enabled={rule.enabled} />
                      <DeleteRuleButton id={rule.id} name={rule.name} openAlerts={openAlerts} />
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
