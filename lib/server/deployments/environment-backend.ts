import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import { openSecret } from '@/lib/crypto/secret-box';
import type { EnvironmentBackend } from '@/lib/generated/prisma/client';
import type { EnvironmentBackendView } from '@/lib/validation/deployments';
import { backendDefinition, createBackend, isBackendType } from './backends';
import type { DeploymentBackend } from './backends/types';

/** The associated data a backend secret is sealed with: it opens only on its own environment. */
export const backendSecretContext = (environmentId: string) => `environment-backend:${environmentId}`;

/** What admins and the API see of a backend: settings, never the secret. */
export function serializeEnvironmentBackend(row: EnvironmentBackend, environment: string): EnvironmentBackendView {
  return {
    environment,
    type: row.type,
    label: isBackendType(row.type) ? backendDefinition(row.type).label : row.type,
    config: row.config as Record<string, unknown>,
    hasSecret: row.secretSealed !== null,
    canary: {
      intervalSeconds: row.canaryIntervalSeconds,
      maxErrorRateIncrease: row.canaryMaxErrorRateIncrease,
      maxLatencyRatio: row.canaryMaxLatencyRatio,
      minRequests: row.canaryMinRequests,
    },
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface ResolvedBackend {
  row: EnvironmentBackend;
  backend: DeploymentBackend;
}

/** The client for an environment's backend, or null when the environment has none (alias mode). */
export async function resolveEnvironmentBackend(environmentId: string, client: Tx | ReturnType<typeof db> = db()): Promise<ResolvedBackend | null> {
  const row = await client.environmentBackend.findUnique({ where: { environmentId } });
  if (!row) return null;
  if (!isBackendType(row.type)) {
    throw new Error(`The environment's deployment backend "${row.type}" is not one this version of ModelDeck knows.`);
  }
  const secret = row.secretSealed === null ? null : openSecret(row.secretSealed, backendSecretContext(environmentId));
  return { row, backend: createBackend(row.type, row.config, secret) };
}
