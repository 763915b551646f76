import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MonitoringTab } from '@/components/monitoring/monitoring-tab';
import { ModelTabs } from '@/components/registry/model-tabs';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { orNotFound } from '@/lib/server/http/page-data';
import { getMonitoringTab } from '@/lib/server/monitoring/get-monitoring-tab';
import { ZModelName } from '@/lib/validation/registry';

type Params = { params: Promise<{ name: string }>; searchParams?: Promise<{ environment?: string | string[] }> };

export async function generateMetadata({ params }: Params) {
  return { title: `${(await params).name} · Monitoring` };
}

export default async function ModelMonitoringPage({ params, searchParams }: Params) {
  const { name } = await params;
  const asked = (await searchParams)?.environment;
  const { allowed } = await pageActorOrRedirect(`/models/${encodeURIComponent(name)}/monitoring`, 'monitoring:read');
  if (!allowed) return <Forbidden permission="monitoring:read" />;
  if (!ZModelName.safeParse(name).success) notFound();
  const tab = await orNotFound(getMonitoringTab(name));
  return (
    <>
      <p className="breadcrumbs">
        <Link href="/models">Models</Link> / <Link href={`/models/${encodeURIComponent(tab.model)}`}>{tab.model}</Link> /
      </p>
      <PageHeader
        title={tab.model}
        description={
          <>
            Drift, prediction distribution, performance and latency per environment. <Link href="/monitoring">All models</Link>
          </>
        }
      />
      <ModelTabs model={tab.model} current="monitoring" />
      {/* ?environment= (the overview links with it) opens that environment when the model has it. */}
      <MonitoringTab {...tab} initialEnvironment={tab.environments.some((e) => e.name === asked) ? (asked as string) : tab.initialEnvironment} />
    </>
  );
}
