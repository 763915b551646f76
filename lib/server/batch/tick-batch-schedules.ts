import 'server-only';
import { db } from '@/lib/db';
import type { RoleName } from '@/lib/auth/permissions';
import { can } from '@/lib/auth/permissions';
import { logger } from '@/lib/server/logger';
import { previousTick } from './batch-schedules';
import { createBatchJob, formatNamed } from './create-batch-job';
import { openInputUri } from './open-input-uri';

/**
 * The minute tick: each schedule whose latest cron tick is newer than the one it last took
 * claims that tick (a conditional update, so two workers never both take it) and creates an
 * ordinary batch job from its input URI, acting as the schedule's creator — who must still
 * be active and allowed to write models. A missed tick (server down) is caught up once, not
 * once per missed minute. Failures are kept on the schedule (`lastError`).
 */
export async function tickBatchSchedules(now = new Date()): Promise<number> {
  const schedules = await db().batchSchedule.findMany({ include: { version: { include: { model: true } } } });
  let created = 0;
  for (const schedule of schedules) {
    const tick = previousTick(schedule.cron, now);
    if (!tick || (schedule.lastTickAt && schedule.lastTickAt >= tick)) continue;
    const { count } = await db().batchSchedule.updateMany({
      where: { id: schedule.id, lastTickAt: schedule.lastTickAt },
      data: { lastTickAt: tick },
    });
    if (count === 0) continue;
    try {
      const user = schedule.createdById ? await db().user.findUnique({ where: { id: schedule.createdById } }) : null;
      if (!user || !user.active || !can(user.roles as RoleName[], 'models:write')) {
        throw new Error('The schedule’s creator can no longer write models; recreate the schedule.');
      }
      const actor = { id: user.id, email: user.email, name: user.name, roles: user.roles as RoleName[] };
      const job = await createBatchJob(
        { actor, requestId: `batch-schedule-${schedule.id}` },
        {
          model: schedule.version.model.name,
          version: schedule.version.version,
          input: { stream: await openInputUri(schedule.inputUri), format: formatNamed(schedule.format), gzip: schedule.inputUri.endsWith('.gz'), source: schedule.inputUri },
          environment: schedule.environment ?? undefined,
          scheduleId: schedule.id,
        },
      );
      await db().batchSchedule.update({ where: { id: schedule.id }, data: { lastJobId: job.id, lastError: null } });
      created += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger().warn({ scheduleId: schedule.id, err: error }, 'scheduled batch job not created');
      await db().batchSchedule.update({ where: { id: schedule.id }, data: { lastError: message.slice(0, 2000) } }).catch(() => undefined);
    }
  }
  return created;
}
