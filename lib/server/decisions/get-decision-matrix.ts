import 'server-only';
import { buildDecisionMatrix, summarizeProbe } from '@/lib/decisions/matrix';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import { PROBE_OPTIONS, type DecisionMatrix, type DecisionQuery } from '@/lib/validation/decisions';
import { serializeProbe } from './serialize-probe';
import { getUnitPrices } from './unit-prices';

/** The latest probe of each option of a version (any status), newest first. */
export async function latestProbes(model: string, versionNumber: number) {
  const version = await findVersionOrThrow(model, versionNumber);
  const rows = await Promise.all(
    PROBE_OPTIONS.map((option) => db().loadProbe.findFirst({ where: { versionId: version.id, option }, orderBy: { createdAt: 'desc' } })),
  );
  return rows.filter((row) => row !== null).map((row) => serializeProbe(row, version.model.name, version.version));
}

/**
 * The decision matrix of a version for the traffic the user expects: measured figures from
 * the latest finished probe of each option that runs here, estimates (with their basis) for
 * the rest, costs from the admin's unit prices.
 */
export async function getDecisionMatrix(model: string, versionNumber: number, traffic: DecisionQuery): Promise<DecisionMatrix> {
  const version = await findVersionOrThrow(model, versionNumber);
  const [prices, finished, probes] = await Promise.all([
    getUnitPrices(),
    Promise.all(
      PROBE_OPTIONS.map((option) =>
        db().loadProbe.findFirst({ where: { versionId: version.id, option, status: 'succeeded' }, orderBy: { finishedAt: 'desc' } }),
      ),
    ),
    latestProbes(model, versionNumber),
  ]);
  const summary = (index: number) => {
    const row = finished[index];
    if (!row) return null;
    const view = serializeProbe(row, version.model.name, version.version);
    // The figures are judged against the target the user typed, not the one the probe ran with.
    return summarizeProbe({ id: view.id, steps: view.steps, targetP95Ms: traffic.latencyTargetMs, finishedAt: view.finishedAt ?? view.createdAt });
  };
  const matrix = buildDecisionMatrix({
    model: version.model.name,
    version: version.version,
    modelBytes: version.artifactSize === null ? null : Number(version.artifactSize),
    traffic,
    prices,
    local: summary(PROBE_OPTIONS.indexOf('local_realtime')),
    edge: summary(PROBE_OPTIONS.indexOf('edge')),
  });
  return { ...matrix, probes };
}

export async function getLoadProbeOrThrow(id: string) {
  const row = await db().loadProbe.findUnique({ where: { id }, include: { version: { include: { model: true } } } });
  if (!row) throw notFound(`Load probe ${id} not found.`);
  return serializeProbe(row, row.version.model.name, row.version.version);
}
