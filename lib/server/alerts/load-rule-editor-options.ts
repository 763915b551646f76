import 'server-only';
import { db } from '@/lib/db';
import type { RuleEditorOptions } from '@/lib/validation/alerts';

/** What the rule editor offers: models with their versions' features, environments, channels. */
export async function loadRuleEditorOptions(): Promise<RuleEditorOptions> {
  const [models, environments, channels] = await Promise.all([
    db().model.findMany({
      orderBy: { name: 'asc' },
      select: { name: true, task: true, versions: { orderBy: { version: 'desc' }, select: { version: true, features: true } } },
    }),
    db().environment.findMany({ where: { archivedAt: null }, orderBy: { position: 'asc' }, select: { name: true } }),
    db().alertChannel.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, kind: true } }),
  ]);
  return {
    models: models.map((model) => ({
      name: model.name,
      task: model.task,
      versions: model.versions.map((version) => ({
        version: version.version,
        features: (Array.isArray(version.features) ? (version.features as { name?: unknown; type?: unknown }[]) : []).map((feature) => ({
          name: String(feature.name),
          type: feature.type === 'categorical' ? ('categorical' as const) : ('numeric' as const),
        })),
      })),
    })),
    environments: environments.map((environment) => environment.name),
    channels,
  };
}
