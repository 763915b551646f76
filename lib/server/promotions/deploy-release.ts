import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { goLive } from './go-live';
import { lockRelease, transitionRelease } from './release-machine';

/**
 * The release-deploy job: approved → deploying → live. Idempotent: a retried job picks
 * up where the last attempt stopped, and a release that was cancelled in the meantime is
 * left alone. Environments without a deployment backend are registry aliases, so going
 * live is the bookkeeping alone. `at` backdates it (the demo seed's history only).
 */
export async function deployRelease(releaseId: string, options: { at?: Date } = {}): Promise<void> {
  const started = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status === 'approved') return transitionRelease(tx, release, 'deploying');
    return release;
  });
  if (started?.status !== 'deploying') return;

  await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status === 'deploying') await goLive(tx, release, options.at);
  });
}

/** Called by the queue after the last retry: the release is failed and announced as such. */
export async function failRelease(releaseId: string, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release || (release.status !== 'approved' && release.status !== 'deploying')) return;
    await transitionRelease(tx, release, 'failed', { endedAt: new Date(), statusReason: reason.slice(0, 2000) });
    await emitEvent(tx, 'release.failed', { releaseId, reason });
    await recordAudit(tx, {
      actor: null,
      action: 'release.fail',
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { status: 'failed', reason },
    });
  });
}
