import 'server-only';
import { db } from '@/lib/db';
import type { Environment } from '@/lib/generated/prisma/client';

export function listEnvironments() {
  return db().environment.findMany({ orderBy: { position: 'asc' } });
}

/** Names of the environments with any release row (request or release): those can only be archived, not deleted. */
export async function environmentsWithReleases(): Promise<Set<string>> {
  const used = await db().environment.findMany({ where: { releases: { some: {} } }, select: { name: true } });
  return new Set(used.map((e) => e.name));
}

export function serializeEnvironment(environment: Environment) {
  return {
    name: environment.name,
    position: environment.position,
    description: environment.description,
    requiredApprovals: environment.requiredApprovals,
    requirePreviousEnvironment: environment.requirePreviousEnvironment,
    soakGateEnabled: environment.soakGateEnabled,
    minSoakMinutes: environment.minSoakMinutes,
    metricGates: environment.metricGates,
    blockOnOpenDriftAlert: environment.blockOnOpenDriftAlert,
    authorCannotApprove: environment.authorCannotApprove,
    archivedAt: environment.archivedAt?.toISOString() ?? null,
    // No deployment backends yet: "live" is a registry alias (like an MLflow alias).
    backend: null,
  };
}
