import 'server-only';
import type PgBoss from 'pg-boss';
import { db } from '@/lib/db';
import { logger } from '@/lib/server/logger';
import { QUEUES } from './queue';

/**
 * A worker killed mid-rollout (kill -9, a crash) leaves its job `active` until pg-boss
 * expires it, which can take many minutes. At start, every release still deploying gets a
 * fresh job, so the rollout resumes from its last committed step within a polling interval.
 * Running a deploy job twice is safe: each step is idempotent and the switch happens under
 * the release lock, which the second runner finds already done.
 */
export async function resumeRollouts(boss: PgBoss): Promise<number> {
  // Also aborted canaries and ended shadows whose traffic may not be back on the primary yet.
  const stuck = await db().release.findMany({
    where: {
      OR: [{ status: 'deploying' }, { status: { in: ['aborted', 'superseded'] }, rollout: { path: ['phase'], equals: 'aborting' } }],
    },
    select: { id: true },
  });
  for (const release of stuck) await boss.send(QUEUES.deployRelease, { releaseId: release.id });
  if (stuck.length) logger().info({ releases: stuck.map((r) => r.id) }, 'resuming rollouts left deploying');
  return stuck.length;
}
