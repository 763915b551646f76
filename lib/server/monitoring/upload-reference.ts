import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { AppError, type FieldErrors } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { numericReferenceProfile } from '@/lib/stats/drift-counts';
import { MAX_REFERENCE_ROWS, ZReferenceUpload } from '@/lib/validation/monitoring';
import { findModelTargetOrThrow, findVersionShapeOrThrow } from './load-target';
import { PREDICTION_COLUMN, type ColumnProfile, type ReferenceProfiles } from './reference-profile';
import { hashCategory } from './sensitive';

type Value = number | string | null;

export interface ReferenceSummary {
  model: string;
  version: number;
  rows: number;
  columns: { name: string; type: 'numeric' | 'categorical'; n: number; nNull: number; distinct: number }[];
}

/**
 * Sets (or replaces) a version's reference distribution. Columns are checked against the
 * version's feature schema (plus an optional `prediction` column), summarised into exact
 * profiles, and stored with an audit entry; the version's rollups are then rebuilt by a job,
 * because their histogram cells are counted on the reference's bins.
 */
export async function uploadReference(
  ctx: RequestContext,
  input: { model: string; version: number; body: unknown },
): Promise<ReferenceSummary> {
  const model = await findModelTargetOrThrow(input.model);
  const shape = await findVersionShapeOrThrow(model, input.version);
  const parsed = ZReferenceUpload.safeParse(input.body);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues.slice(0, 20)) (errors[issue.path.join('.') || 'body'] ??= []).push(issue.message);
    throw new AppError(400, 'invalid_reference', `Send {"columns": {feature: [values…]}} or {"rows": [{…}]} with at most ${MAX_REFERENCE_ROWS} rows: ${Object.entries(errors).map(([f, m]) => `${f}: ${m.join(' ')}`).join('; ')}`, errors);
  }
  const columns = toColumns(parsed.data);
  const errors: FieldErrors = {};
  const unknown = [...columns.keys()].filter((name) => name !== PREDICTION_COLUMN && !shape.byName.has(name));
  if (unknown.length > 0) errors.columns = [`Not in v${shape.version}'s feature schema: ${unknown.join(', ')}.`];
  const lengths = new Set([...columns.values()].map((values) => values.length));
  if (lengths.size > 1) (errors.columns ??= []).push('Every column needs the same number of values (one per reference row).');
  const rows = Math.max(0, ...lengths);

  const profiles: ReferenceProfiles = {};
  for (const [name, values] of columns) {
    if (unknown.includes(name)) continue;
    const slot = shape.byName.get(name);
    const type = slot?.type ?? (values.some((v) => typeof v === 'string') ? 'categorical' : 'numeric');
    if (type === 'numeric') {
      const bad = values.findIndex((v) => v !== null && typeof v !== 'number');
      if (bad >= 0) {
        errors[`columns.${name}`] = [`"${name}" is numeric; row ${bad} holds ${JSON.stringify(values[bad])}.`];
        continue;
      }
      profiles[name] = { type: 'numeric', profile: numericReferenceProfile(values as (number | null)[]) };
    } else {
      profiles[name] = categoricalProfile(values, slot?.sensitive ?? false);
    }
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError(
      400,
      'invalid_reference',
      `The reference was not stored: ${Object.entries(errors).map(([f, m]) => `${f}: ${m.join(' ')}`).join('; ')}`,
      errors,
    );
  }

  const summary: ReferenceSummary = {
    model: model.name,
    version: shape.version,
    rows,
    columns: Object.entries(profiles).map(([name, p]) => describe(name, p)),
  };
  const stored = profiles as unknown as Prisma.InputJsonValue;
  await db().$transaction(async (tx) => {
    const before = await tx.monitoringReference.findUnique({ where: { versionId: shape.id }, select: { rows: true } });
    await tx.monitoringReference.upsert({
      where: { versionId: shape.id },
      create: { versionId: shape.id, rows, profiles: stored, uploadedById: ctx.actor.id },
      update: { rows, profiles: stored, uploadedById: ctx.actor.id, revision: { increment: 1 } },
    });
    await enqueue(tx, QUEUES.rebuildRollups, { modelId: model.id, versionId: shape.id });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'monitoring.reference.upload',
      targetType: 'model_version',
      targetId: shape.id,
      before: before ? { rows: before.rows } : null,
      after: { model: model.name, version: shape.version, rows, columns: summary.columns.map((c) => c.name) },
      requestId: ctx.requestId,
    });
  });
  return summary;
}

function toColumns(input: ReturnType<typeof ZReferenceUpload.parse>): Map<string, Value[]> {
  if ('columns' in input) return new Map(Object.entries(input.columns));
  const names = new Set<string>();
  for (const row of input.rows) for (const name of Object.keys(row)) names.add(name);
  // A row without a column's key holds null there.
  return new Map([...names].map((name) => [name, input.rows.map((row) => row[name] ?? null)]));
}

function categoricalProfile(values: Value[], sensitive: boolean): ColumnProfile {
  const counts: Record<string, number> = {};
  let n = 0;
  let nNull = 0;
  for (const v of values) {
    if (v === null) {
      nNull++;
      continue;
    }
    const key = sensitive ? hashCategory(String(v)) : String(v);
    counts[key] = (counts[key] ?? 0) + 1;
    n++;
  }
  return { type: 'categorical', n, nNull, counts };
}

function describe(name: string, profile: ColumnProfile): ReferenceSummary['columns'][number] {
  if (profile.type === 'numeric') {
    return { name, type: 'numeric', n: profile.profile.n, nNull: profile.profile.nNull, distinct: profile.profile.values.length };
  }
  return { name, type: 'categorical', n: profile.n, nNull: profile.nNull, distinct: Object.keys(profile.counts).length };
}
