import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { compareVersions } from '@/lib/server/registry/compare-versions';
import { evaluateGates, type GateResult } from './evaluate-gates';
import { getShadowStats } from './get-shadow-stats';
import { serializeRelease } from './serialize-release';

type Comparison = ReturnType<typeof compareVersions>;

/**
 * A release with the evidence a reviewer needs: gates (evaluated afresh while the request
 * is open), metrics against the live version, time in the previous environment, requester,
 * note and reviews — and `evidence`, what it was requested and approved on, as recorded then
 * (empty for releases from before evidence was recorded; never recomputed).
 */
export async function getRelease(id: string) {
  const release = await db().release.findUnique({
    where: { id },
    include: {
      model: { select: { name: true } },
      version: true,
      environment: true,
      approvals: { orderBy: { createdAt: 'asc' } },
      evidence: { orderBy: { takenAt: 'asc' } },
    },
  });
  if (!release) throw notFound(`Release ${id} not found.`);
  const open = release.status === 'pending_approval' || release.status === 'approved';
  const [live, gates, people, shadowStats] = await Promise.all([
    db().release.findFirst({
      where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary', id: { not: release.id } },
      include: { version: true },
    }),
    open ? db().$transaction((tx) => evaluateGates(tx, release.version, release.environment)) : null,
    db().user.findMany({
      where: { id: { in: [release.requestedById, ...release.approvals.map((a) => a.reviewerId), ...(release.version.createdById ? [release.version.createdById] : [])] } },
      select: { id: true, email: true, name: true },
    }),
    getShadowStats(release),
  ]);
  const person = (userId: string | null) => people.find((p) => p.id === userId) ?? null;
  const current = live?.version;
  return {
    ...serializeRelease(release, person(release.requestedById)?.email ?? null),
    ...(gates ? { gates } : {}),
    requestedById: release.requestedById,
    versionAuthor: person(release.version.createdById)?.email ?? null,
    versionAuthorId: release.version.createdById,
    liveVersion: current ? { version: current.version, since: live.liveAt?.toISOString() ?? null } : null,
    comparison: compareVersions(
      { metrics: (current?.metrics ?? {}) as Record<string, number>, params: (current?.params ?? {}) as Record<string, unknown> },
      { metrics: release.version.metrics as Record<string, number>, params: release.version.params as Record<string, unknown> },
    ),
    evidence: release.evidence.map((e) => ({
      kind: e.kind,
      takenAt: e.takenAt.toISOString(),
      takenBy: e.takenByEmail,
      baselineVersion: e.baselineVersion,
      metrics: e.metrics as unknown as Comparison['metrics'],
      params: e.params as unknown as Comparison['params'],
      gates: e.gates as unknown as GateResult[],
    })),
    reviews: release.approvals.map((a) => ({
      reviewer: person(a.reviewerId)?.email ?? null,
      decision: a.decision,
      comment: a.comment,
      at: a.createdAt.toISOString(),
    })),
    shadowStats,
    environmentRules: {
      requiredApprovals: release.environment.requiredApprovals,
      authorCannotApprove: release.environment.authorCannotApprove,
    },
  };
}
