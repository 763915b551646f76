import { HealthHelp, MonitoringOverview } from '@/components/monitoring/monitoring-overview';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { getMonitoringOverview } from '@/lib/server/monitoring/get-monitoring-overview';

export const metadata = { title: 'Monitoring' };

export default async function MonitoringPage() {
  const { allowed } = await pageActorOrRedirect('/monitoring', 'monitoring:read');
  if (!allowed) return <Forbidden permission="monitoring:read" />;
  const overview = await getMonitoringOverview({ window: '24h' });
  return (
    <>
      <PageHeader title="Monitoring" description="Every model in every environment: health, trends, the worst-drifting feature and open alerts." />
      {overview.rows.length === 0 ? (
        <EmptyState title="No models yet.">
          <p>
            Register a model (<code>POST /api/v1/models</code>), then send its predictions to <code>POST /api/v1/predictions</code> or run{' '}
            <code>npm run demo:traffic</code>.
          </p>
        </EmptyState>
      ) : (
        <>
          <MonitoringOverview initial={overview} />
          <HealthHelp thresholds={overview.thresholds} />
        </>
      )}
    </>
  );
}
