import 'server-only';
import type { Release } from '@/lib/generated/prisma/client';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { readProgress } from '@/lib/server/deployments/rollout-progress';
import { logger } from '@/lib/server/logger';

/** The window the release page shows a shadow's comparison over. */
export const SHADOW_WINDOW_SECONDS = 300;

/**
 * A running shadow's agreement with the primary and both latencies, read from the backend
 * (the model server compares every mirrored answer with the primary's). Null when the release
 * is not mirroring or the backend cannot be reached: the page says so and keeps polling.
 */
export async function getShadowStats(release: Release & { model: { name: string }; environment: { name: string }; version: { version: number } }) {
  const shadow = readProgress(release.rollout).shadow;
  if (release.status !== 'deploying' || !shadow) return null;
  try {
    const resolved = await resolveEnvironmentBackend(release.environmentId);
    if (!resolved) return null;
    const status = await resolved.backend.status({ environment: release.environment.name, model: release.model.name }, { windowSeconds: SHADOW_WINDOW_SECONDS });
    const primary = status.versions.find((v) => v.version === shadow.primaryVersion);
    return {
      windowSeconds: status.windowSeconds,
      version: release.version.version,
      compared: status.shadow?.compared ?? 0,
      agreement: status.shadow?.agreement ?? null,
      meanAbsoluteDifference: status.shadow?.meanAbsoluteDifference ?? null,
      latencyMs: status.shadow?.latencyMs ?? null,
      primaryLatencyMs: primary?.latencyMs ?? null,
    };
  } catch (error) {
    logger().warn({ err: error, releaseId: release.id }, 'could not read the shadow figures from the backend');
    return null;
  }
}
