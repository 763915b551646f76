import 'server-only';
import { db } from '@/lib/db';
import { getModel } from '@/lib/server/registry/get-model';
import { getReportingLoss } from './get-reporting-loss';

/**
 * What the Monitoring tab of a model needs before its charts load: the environments with what
 * is live (primary and canary/challenger), the versions, and which features are sensitive
 * (masked on screen), and what each environment's model server dropped instead of reporting
 * (`getReportingLoss`). The default environment is the last one the model is live in
 * (production before staging), else the first.
 */
export async function getMonitoringTab(name: string) {
  const model = await getModel(name);
  const rows = await db().modelVersion.findMany({
    where: { model: { name } },
    select: { version: true, features: true },
    orderBy: { version: 'desc' },
  });
  const sensitive = new Set<string>();
  for (const row of rows) {
    for (const feature of (row.features ?? []) as { name: string; sensitive?: boolean }[]) if (feature.sensitive === true) sensitive.add(feature.name);
  }
  const losses = await getReportingLoss(model.environments.map((lane) => lane.environment));
  const environments = model.environments.map((lane) => ({
    name: lane.environment,
    liveVersion: lane.liveVersion,
    canaryVersion: lane.secondary?.version ?? null,
    reportsDropped: losses.get(lane.environment) ?? null,
  }));
  const liveIn = environments.filter((e) => e.liveVersion !== null);
  return {
    model: model.name,
    task: model.task as 'classification' | 'regression' | 'other',
    environments,
    initialEnvironment: liveIn.at(-1)?.name ?? environments[0]?.name ?? 'production',
    versions: rows.map((r) => r.version),
    sensitive: [...sensitive].sort(),
  };
}
