import 'server-only';
import { db } from '@/lib/db';
import type { Environment } from '@/lib/generated/prisma/client';

export function listEnvironments() {
  return db().environment.findMany({ orderBy: { position: 'asc' } });
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
