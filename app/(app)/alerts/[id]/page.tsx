import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertActionButton } from '@/components/alerts/alert-action-button';
import { AlertStatusBadge, SeverityBadge } from '@/components/alerts/severity-badge';
import { AlertRetraining } from '@/components/alerts/retraining-panel';
import { SignalChart } from '@/components/alerts/signal-chart';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { describeSignal } from '@/lib/server/alerts/describe-signal';
import { getAlertOrThrow } from '@/lib/server/alerts/get-alert';
import { getAlertSeries } from '@/lib/server/alerts/get-alert-series';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listRetrainingRequests } from '@/lib/server/retraining/list-retraining-requests';
import type { Signal } from '@/lib/validation/alerts';

export const metadata = { title: 'Alert' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describeEvent(event: { kind: string; detail: unknown }): string {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  switch (event.kind) {
    case 'fired':
      return `Fired: ${typeof detail.value === 'number' ? detail.value.toPrecision(4) : detail.value} ${detail.comparator} ${detail.threshold} over ${detail.samples} samples (${detail.windowMinutes} min window).`;
    case 'notified':
      return `Notified ${detail.channel} (${detail.kind}) of ${detail.event} after ${detail.attempts} attempt(s).`;
    case 'notification_failed':
      return `Could not notify ${detail.channel} (${detail.kind}) of ${detail.event} after ${detail.attempts} attempts: ${detail.error}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'retraining_requested':
      return `Retraining requested${detail.by === 'rule' ? ' by the rule' : ''}${detail.liveVersion ? ` (live version v${detail.liveVersion})` : ''}.`;
    case 'retraining_delivered':
      return `Retraining request delivered to the pipeline after ${detail.attempts} attempt(s).`;
    case 'retraining_failed':
      return `Could not deliver the retraining request after ${detail.attempts} attempts: ${detail.error}`;
    case 'retraining_acknowledged':
      return `The pipeline acknowledged the retraining request${detail.runId ? ` (run ${detail.runId})` : ''}.`;
    case 'retraining_completed':
      return `Retraining completed: v${detail.version} registered from the live version.`;
    case 'retraining_skipped':
      return `Retraining not requested: ${detail.reason}`;
    case 'resolved':
      return detail.how === 'auto' ? `Resolved automatically: the value (${detail.value}) stayed within ${detail.threshold} for a full window.` : 'Resolved';
    default:
      return event.kind;
  }
}

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/alerts/${id}`, 'alerts:read');
  if (!allowed) return <Forbidden permission="alerts:read" />;
  if (!UUID.test(id)) notFound();
  const alert = await getAlertOrThrow(id).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  const mayAct = can(actor.roles, 'alerts:manage');
  const [series, [retraining]] = await Promise.all([getAlertSeries(alert.id), listRetrainingRequests({ alertId: alert.id })]);
  return (
    <>
      <p>
        <Link href="/alerts">← Alerts</Link>
      </p>
      <PageHeader
        title={alert.ruleName}
        description={
          <>
            <SeverityBadge severity={alert.severity} /> <AlertStatusBadge status={alert.status} /> {describeSignal(alert.signal as Signal)} of{' '}
            <Link href={`/models/${alert.model}`}>{alert.model}</Link> in {alert.environment}: <span className="mono">{alert.value.toPrecision(4)} {alert.comparator} {alert.threshold}</span>{' '}
            ({alert.samples} samples), fired <Time value={alert.firedAt} mode="both" />.
          </>
        }
      />
      {mayAct && alert.status !== 'resolved' ? (
        <section className="panel button-row wrap" aria-label="Respond">
          {alert.status === 'firing' ? <AlertActionButton id={alert.id} action="acknowledge" ruleName={alert.ruleName} withComment /> : null}
          <AlertActionButton id={alert.id} action="resolve" ruleName={alert.ruleName} withComment />
        </section>
      ) : null}
      <section className="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Signal around the firing time</h2>
        {series.points.some((point) => point.value !== null) ? (
          <SignalChart
            label={describeSignal(alert.signal as Signal)}
            points={series.points}
            spans={series.spans}
            threshold={series.threshold}
            comparator={series.comparator}
            marker={{ at: series.firedAt, label: 'the firing time' }}
          />
        ) : (
          <EmptyState title="No monitoring data around the firing time.">
            <p>The chart is drawn from the hourly monitoring rollups; they may have passed the model&apos;s retention.</p>
          </EmptyState>
        )}
      </section>
      <AlertRetraining alertId={alert.id} request={retraining ?? null} mayRequest={mayAct} />
      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Timeline">
        {alert.events.map((event, index) => (
          <li key={index} data-testid={`timeline-${event.kind}`}>
            <Time value={event.at} mode="both" /> — {describeEvent(event)}
            {event.actor ? <> by {event.actor}</> : null}
            {event.comment ? <blockquote>{event.comment}</blockquote> : null}
          </li>
        ))}
      </ol>
      <h2>Notifications</h2>
      {alert.notifications.length === 0 ? (
        <EmptyState title="This alert's rule has no channels, so nobody was notified." />
      ) : (
        <DataTable label="Notifications" columns={['Channel', 'Event', 'Status', 'Attempts', 'Last error']}>
          {alert.notifications.map((n) => (
            <tr key={n.id}>
              <td>{n.channelName}</td>
              <td className="mono">{n.event}</td>
              <td>{n.status}</td>
              <td>{n.attempts}</td>
              <td>{n.lastError ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
