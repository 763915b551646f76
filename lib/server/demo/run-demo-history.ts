import 'server-only';
import { db } from '@/lib/db';
import { logger } from '@/lib/server/logger';
import { DEMO_HISTORY_ID } from './demo-history-settings';
import { generateDemoHistory } from './generate-demo-history';

/** A running history commits a day every second or two; one silent this long was killed. */
export const STALE_AFTER_MS = 60_000;

/**
 * The `demo-history` job: generates what the row says is still missing. It claims the row
 * first, so a second job (a resumed one beside an expired original) finds it taken and stops.
 * A finished history is never generated again; a failure is recorded on the row (and the
 * job retried).
 */
export async function runDemoHistory(now = Date.now()): Promise<void> {
  const claimed = await db().demoHistory.updateMany({
    where: {
      id: DEMO_HISTORY_ID,
      OR: [{ status: { in: ['queued', 'failed'] } }, { status: 'running', updatedAt: { lt: new Date(now - STALE_AFTER_MS) } }],
    },
    data: { status: 'running' },
  });
  if (claimed.count === 0) return;
  const row = await db().demoHistory.findUniqueOrThrow({ where: { id: DEMO_HISTORY_ID } });
  logger().info({ days: row.days, daysDone: row.daysDone }, 'demo history: generating');
  try {
    const result = await generateDemoHistory({ days: row.days });
    logger().info(result, 'demo history: done');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db().demoHistory.update({ where: { id: DEMO_HISTORY_ID }, data: { status: 'failed', error: message.slice(0, 2000) } });
    throw error;
  }
}
