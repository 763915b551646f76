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

export function versionShape(row: { id: string; version: number; features: unknown }, profiles: ReferenceProfiles | null): VersionShape {
  const numeric: FeatureSlot[] = [];
  const categorical: FeatureSlot[] = [];
  const byName = new Map<string, FeatureSlot>();
  for (const feature of (row.features ?? []) as StoredFeature[]) {
    const list = feature.type === 'numeric' ? numeric : categorical;
    const slot: FeatureSlot = { name: feature.name, type: feature.type, sensitive: feature.sensitive === true, index: list.length };
    list.push(slot);
    byName.set(feature.name, slot);
  }
  return { id: row.id, version: row.version, numeric, categorical, byName, profiles };
}

const SHAPE_SELECT = { id: true, version: true, features: true, reference: { select: { id: true, revision: true } } } as const;

/**
 * Reference profiles by reference id, with the revision they were read at. A numeric profile
 * is the reference's whole multiset (up to 100,000 values per column), and every chart read and
 * ingested batch needs its version's profiles: reading and parsing them each time cost more than
 * the rest of the request. An upload raises the revision, so a cached entry is never used after
 * it changes. Least recently used entries go once the cached values pass CACHE_VALUES.
 */
const profileCache = new Map<string, { revision: number; profiles: ReferenceProfiles; size: number }>();
const CACHE_VALUES = 5_000_000;
let cachedValues = 0;

function profileSize(profiles: ReferenceProfiles): number {
  let size = 0;
  for (const column of Object.values(profiles)) size += column.type === 'numeric' ? column.profile.values.length : Object.keys(column.counts).length;
  return size;
}

async function referenceProfiles(references: { id: string; revision: number }[]): Promise<Map<string, ReferenceProfiles>> {
  const found = new Map<string, ReferenceProfiles>();
  const missing: string[] = [];
  for (const reference of references) {
    const cached = profileCache.get(reference.id);
    if (cached && cached.revision === reference.revision) {
      profileCache.delete(reference.id); // re-inserted: most recently used last
      profileCache.set(reference.id, cached);
      found.set(reference.id, cached.profiles);
    } else missing.push(reference.id);
  }
  if (missing.length === 0) return found;
  const rows = await db().monitoringReference.findMany({ where: { id: { in: missing } }, select: { id: true, revision: true, profiles: true } });
  for (const row of rows) {
    const profiles = row.profiles as unknown as ReferenceProfiles;
    found.set(row.id, profiles);
    const previous = profileCache.get(row.id);
    if (previous) cachedValues -= previous.size;
    const size = profileSize(profiles);
    profileCache.delete(row.id);
    profileCache.set(row.id, { revision: row.revision, profiles, size });
    cachedValues += size;
    for (const [id, entry] of profileCache) {
      if (cachedValues <= CACHE_VALUES || id === row.id) break;
      profileCache.delete(id);
      cachedValues -= entry.size;
    }
  }
  return found;
}

export async function loadVersionShapes(modelId: string, where: { ids?: string[]; numbers?: number[] }): Promise<VersionShape[]> {
  const rows = await db().modelVersion.findMany({
    where: {
      modelId,
      ...(where.ids ? { id: { in: where.ids } } : {}),
      ...(where.numbers ? { version: { in: where.numbers } } : {}),
    },
    select: SHAPE_SELECT,
  });
  const profiles = await referenceProfiles(rows.flatMap((row) => (row.reference ? [row.reference] : [])));
  return rows.map((row) => versionShape(row, (row.reference && profiles.get(row.reference.id)) || null));
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
