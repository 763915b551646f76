import { AdminTabs } from '@/components/admin/admin-tabs';
import { EnvironmentLifecycleButtons } from '@/components/admin/environment-lifecycle-buttons';
import { EnvironmentMoveButtons } from '@/components/admin/environment-move-buttons';
import { EnvironmentRulesForm } from '@/components/admin/environment-rules-form';
import { NewEnvironmentForm } from '@/components/admin/new-environment-form';
import { RetrainingWebhookForm } from '@/components/alerts/retraining-webhook-form';
import { EnvironmentBackendForm } from '@/components/deployments/environment-backend-form';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { BACKEND_TYPES, backendDefinition } from '@/lib/server/deployments/backends';
import { listEnvironmentBackends } from '@/lib/server/deployments/list-environment-backends';
import { environmentsWithReleases, listEnvironments, serializeEnvironment } from '@/lib/server/environments/list-environments';
import { ZMetricGate, type MetricGate } from '@/lib/validation/registry';
import { z } from 'zod';

export const metadata = { title: 'Environments' };

export default async function EnvironmentsPage() {
  const { actor, allowed } = await pageActorOrRedirect('/admin/environments', 'environments:manage');
  if (!allowed) return <Forbidden permission="environments:manage" />;
  const [all, used] = await Promise.all([listEnvironments(), environmentsWithReleases()]);
  const environments = all.map(serializeEnvironment);
  const backends = can(actor.roles, 'backends:manage') ? await listEnvironmentBackends() : null;
  const retrainingUrls = new Map(all.map((environment) => [environment.name, environment.retrainingWebhookUrl]));
  return (
    <>
      <PageHeader
        title="Admin"
        description="Environments in promotion order and the rules a version must pass to enter each one."
      />
      <AdminTabs />
      <p className="muted" id="environment-order-help">
        Versions are promoted in this order. The previous-environment and soak gates of an environment check the environment
        just before it, so adding an environment or moving one changes what those gates check. An environment nothing was
        ever requested for can be deleted; one with history can be archived: it is then no promotion target and no lane on
        model pages, and its releases stay readable.
      </p>
      {environments.length === 0 ? (
        <EmptyState title="No environments are defined." />
      ) : (
        environments.map((environment, index) => {
          const gates: MetricGate[] = z.array(ZMetricGate).catch([]).parse(environment.metricGates);
          const archived = environment.archivedAt !== null;
          // Archived environments are skipped by the previous-environment and soak gates.
          const previous = environments.slice(0, index).findLast((e) => e.archivedAt === null)?.name ?? null;
          return (
            <section key={environment.name} className="panel" aria-labelledby={`env-${environment.name}`} data-testid={`environment-${environment.name}`}>
              <h2 id={`env-${environment.name}`}>
                {index + 1}. {environment.name} {archived ? <span className="badge warn">archived</span> : null}
              </h2>
              <div className="button-row wrap">
                <EnvironmentMoveButtons name={environment.name} />
                <EnvironmentLifecycleButtons name={environment.name} archived={archived} deletable={!used.has(environment.name)} />
              </div>
              <EnvironmentRulesForm environment={{ ...environment, metricGates: gates }} previous={previous} />
              <RetrainingWebhookForm environment={environment.name} url={retrainingUrls.get(environment.name) ?? null} />
              {backends ? <EnvironmentBackendForm environment={environment.name} backend={backends.get(environment.name) ?? null} types={BACKEND_TYPES.map(backendDefinition)} /> : null}
            </section>
          );
        })
      )}
      <section className="panel" aria-labelledby="new-environment">
        <h2 id="new-environment">New environment</h2>
        <NewEnvironmentForm environments={environments.map((e) => e.name)} />
      </section>
    </>
  );
}
