import 'server-only';
import { db } from '@/lib/db';
import { BackendError } from '@/lib/server/deployments/backends/types';
import { readProgress, recordProgress } from '@/lib/server/deployments/rollout-progress';
import { failRelease } from './finish-rollout';
import { lockRelease } from './release-machine';
import { loadVersion, type RolloutContext } from './replace-rollout';

export const DEFAULT_SHADOW_PERCENT = 100;

/**
 * A shadow release: the new version is loaded and receives `shadowPercent` % of requests as a
 * mirror (its answers are compared with the primary's, never returned); the primary keeps all
 * the traffic. It stays `deploying` until a person promotes it (a replace request through the
 * approval rules) or stops it (control-release.ts); both end the mirror in finishAborting.
 */
export async function runShadow(rollout: RolloutContext): Promise<void> {
  const { releaseId, release, version } = rollout;
  if (readProgress(release.rollout).shadow) return;
  const primary = await db().release.findFirst({
    where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
    include: { version: { select: { version: true } } },
  });
  if (!primary) {
    await failRelease(releaseId, `Nothing is live in ${rollout.target.environment} to mirror requests from; promote v${version} as a replace instead.`);
    return;
  }
  if (!(await loadVersion(rollout))) return;
  const percent = release.shadowPercent ?? DEFAULT_SHADOW_PERCENT;
  await db()
    .$transaction(async (tx) => {
      const locked = await lockRelease(tx, releaseId);
      if (locked?.status !== 'deploying' || readProgress(locked.rollout).shadow) return;
      await rollout.backend.setTraffic(rollout.target, {
        routes: [{ version: primary.version.version, percent: 100 }],
        shadow: { version, percent },
      });
      await recordProgress(
        releaseId,
        { phase: 'shadow', shadow: { primaryVersion: primary.version.version, percent } },
        `${percent} % of requests mirrored to v${version}; v${primary.version.version} still answers every request`,
        tx,
      );
    }, { timeout: 30_000 })
    .catch(async (error: unknown) => {
      if (error instanceof BackendError && !error.retryable) {
        await failRelease(releaseId, `The backend refused the shadow mirror: ${error.message}`);
        return;
      }
      throw error;
    });
}
