import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TryItPanel, type TryEnvironment } from '@/components/try-it/try-it-panel';
import { VariantsTable } from '@/components/try-it/variants-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listModelEndpoints } from '@/lib/server/deployments/list-model-endpoints';
import { getTryForm } from '@/lib/server/edge/get-try-form';
import { orNotFound } from '@/lib/server/http/page-data';
import { getModel } from '@/lib/server/registry/get-model';
import { getVersion } from '@/lib/server/registry/get-version';
import { ZVersionParams } from '@/lib/validation/registry';

type Props = { params: Promise<{ name: string; version: string }> };

export async function generateMetadata({ params }: Props) {
  const { name, version } = await params;
  return { title: `Try ${name} v${version}` };
}

export default async function TryItPage({ params }: Props) {
  const raw = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/models/${encodeURIComponent(raw.name)}/versions/${encodeURIComponent(raw.version)}/try`, 'models:read');
  if (!allowed) return <Forbidden permission="models:read" />;
  const parsed = ZVersionParams.safeParse(raw);
  if (!parsed.success) notFound();
  const { name, version: number } = parsed.data;
  const [version, model] = await Promise.all([orNotFound(getVersion(name, number)), orNotFound(getModel(name, { historyLimit: 0 }))]);
  const versionHref = `/models/${name}/versions/${number}`;
  const header = (
    <>
      <p className="breadcrumbs">
        <Link href="/models">Models</Link> / <Link href={`/models/${name}`}>{name}</Link> / <Link href={versionHref}>v{number}</Link> /
      </p>
      <PageHeader title={`Try ${name} v${number}`} description="Run the version in your browser from its edge bundle, and compare with a live endpoint." />
    </>
  );
  const runnable = version.artifact.stored && (!version.format || version.format === 'onnx');
  if (!runnable || version.features.length === 0) {
    return (
      <>
        {header}
        <EmptyState title={runnable ? `v${number} has no feature schema, so there is no form to fill in.` : `v${number} cannot run in the browser.`}>
          <p>
            {runnable
              ? 'Register the version with its features (name and type, in the order the model reads them) to try it here.'
              : 'Only ONNX artifacts uploaded into ModelDeck can be bundled and run here: upload the version\'s .onnx file on the version page.'}
          </p>
        </EmptyState>
      </>
    );
  }
  const form = await getTryForm(name, number);
  let environments: TryEnvironment[] | null = null;
  if (can(actor.roles, 'deployments:operate')) {
    const endpoints = await listModelEndpoints(name);
    environments = Object.entries(endpoints).map(([environment, lane]) => ({
      name: environment,
      backend: lane.backend,
      live: model.versions.filter((v) => v.live.includes(environment)).map((v) => v.version),
    }));
  }
  return (
    <>
      {header}
      {form.source === null ? (
        <p className="notice warn">No reference data for v{number}: the fields start at 0. Upload a reference on the monitoring API to prefill typical values.</p>
      ) : null}
      <TryItPanel model={name} version={number} features={form.features} environments={environments} variants={['original', 'float16', 'int8']} />
      <section aria-labelledby="variants-heading">
        <h2 id="variants-heading">Smaller variants for devices</h2>
        <VariantsTable model={name} version={number} />
      </section>
    </>
  );
}
