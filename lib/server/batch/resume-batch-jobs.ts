import 'server-only';
import type PgBoss from 'pg-boss';
import { db } from '@/lib/db';
import { logger } from '@/lib/server/logger';
import { QUEUES } from '@/lib/server/jobs/queue';

/**
 * A worker killed mid-job (kill -9) leaves its pg-boss job active until it expires (hours,
 * for batch). At worker start every job still `running` gets a fresh run; it continues
 * after the last committed chunk, and the runner lock leaves a job whose first runner is
 * alive to that runner.
 */
export async function resumeBatchJobs(boss: PgBoss): Promise<number> {
  const stuck = await db().batchJob.findMany({ where: { status: 'running' }, select: { id: true } });
  for (const job of stuck) await boss.send(QUEUES.runBatchJob, { jobId: job.id });
  if (stuck.length) logger().info({ jobs: stuck.map((j) => j.id) }, 'resuming batch jobs left running');
  return stuck.length;
}
