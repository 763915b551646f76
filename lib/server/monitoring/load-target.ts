import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import type { ReferenceProfiles } from './reference-profile';

export interface FeatureSlot {
  name: string;
  type: 'numeric' | 'categorical';
  sensitive: boolean;
  /** Position in num_values (numeric) or cat_values (categorical). */
  index: number;
}

/** A version as ingestion sees it: its feature schema split into the two stored arrays. */
export interface VersionShape {
  id: string;
  version: number;
  numeric: FeatureSlot[];
  categorical: FeatureSlot[];
  byName: Map<string, FeatureSlot>;
  profiles: ReferenceProfiles | null;
}

export interface ModelTarget {
  id: string;
  name: string;
  task: 'classification' | 'regression' | 'other';
  retentionDays: number;
}

export async function findModelTargetOrThrow(name: string): Promise<ModelTarget> {
  const model = await db().model.findUnique({
    where: { name },
    select: { id: true, name: true, task: true, monitoringRetentionDays: true },
  });
  if (!model) throw notFound(`No model named "${name}".`);
  return { id: model.id, name: model.name, task: model.task, retentionDays: model.monitoringRetentionDays };
}

export async function findEnvironmentIdOrThrow(name: string): Promise<string> {
  const environment = await db().environment.findUnique({ where: { name }, select: { id: true } });
  if (!environment) throw notFound(`No environment named "${name}".`);
  return environment.id;
}

type StoredFeature = { name: string; type: 'numeric' | 'categorical'; sensitive?: boolean };

export function versionShape(row: { id: string; version: number; features: unknown; reference: { profiles: unknown } | null }): VersionShape {
  const numeric: FeatureSlot[] = [];
  const categorical: FeatureSlot[] = [];
  const byName = new Map<string, FeatureSlot>();
  for (const feature of (row.features ?? []) as StoredFeature[]) {
    const list = feature.type === 'numeric' ? numeric : categorical;
    const slot: FeatureSlot = { name: feature.name, type: feature.type, sensitive: feature.sensitive === true, index: list.length };
    list.push(slot);
    byName.set(feature.name, slot);
  }
  return {
    id: row.id,
    version: row.version,
    numeric,
    categorical,
    byName,
    profiles: (row.reference?.profiles as ReferenceProfiles | undefined) ?? null,
  };
}

const SHAPE_SELECT = { id: true, version: true, features: true, reference: { select: { profiles: true } } } as const;

export async function loadVersionShapes(modelId: string, where: { ids?: string[]; numbers?: number[] }): Promise<VersionShape[]> {
  const rows = await db().modelVersion.findMany({
    where: {
      modelId,
      ...(where.ids ? { id: { in: where.ids } } : {}),
      ...(where.numbers ? { version: { in: where.numbers } } : {}),
    },
    select: SHAPE_SELECT,
  });
  return rows.map(versionShape);
}

export async function findVersionShapeOrThrow(model: ModelTarget, version: number): Promise<VersionShape> {
  const [shape] = await loadVersionShapes(model.id, { numbers: [version] });
  if (!shape) throw notFound(`${model.name} has no version ${version}.`);
  return shape;
}

interface LiveSpan {
  versionId: string;
  from: number;
  to: number;
}

/**
 * Which version served an environment when: the history of its releases (liveAt → endedAt).
 * Shadow releases never answer traffic, so they are left out; while a canary runs beside
 * the primary, the release live the longest (the primary) is the one credited.
 */
export async function liveHistory(modelId: string, environmentId: string): Promise<(at: number) => string | null> {
  const releases = await db().release.findMany({
    where: { modelId, environmentId, liveAt: { not: null }, strategy: { not: 'shadow' } },
    select: { versionId: true, liveAt: true, endedAt: true },
    orderBy: { liveAt: 'asc' },
  });
  const spans: LiveSpan[] = releases.map((r) => ({
    versionId: r.versionId,
    from: r.liveAt!.getTime(),
    to: r.endedAt?.getTime() ?? Number.POSITIVE_INFINITY,
  }));
  return (at) => spans.find((span) => span.from <= at && at < span.to)?.versionId ?? null;
}
